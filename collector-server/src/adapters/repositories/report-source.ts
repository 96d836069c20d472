import type { Category } from '@kestrel/shared/protocol';
import type { Kysely } from 'kysely';
import { deviceRow } from '../../domain/devices/device-health.js';
import type { ReportSource } from '../../domain/reports/dashboard.js';
import type { Storage } from '../../ports/storage.js';
import type { Database } from '../db/schema.js';
import { workflowDb } from '../db/workflow-schema.js';

/** Aggregates for dashboards and reports: counts only, never a capture's content. */
export function reportSource(
  base: Kysely<Database>,
  storage: Pick<Storage, 'devices' | 'heartbeats'>,
): ReportSource {
  const db = workflowDb(base);
  return {
    async captureCounts(schoolId, from, to) {
      const rows = await db
        .selectFrom('captures')
        .select(['category', 'severity', (e) => e.fn.countAll<number>().as('n')])
        .where('school_id', '=', schoolId)
        .where('received_at', '>=', from)
        .where('received_at', '<', to)
        .groupBy(['category', 'severity'])
        .execute();
      return rows.map((r) => ({
        category: r.category as Category,
        severity: Number(r.severity),
        n: Number(r.n),
      }));
    },
    async backlog(schoolId) {
      const r = await db
        .selectFrom('captures')
        .select([(e) => e.fn.countAll<number>().as('n'), (e) => e.fn.min('received_at').as('oldest')])
        .where('school_id', '=', schoolId)
        .where('status', '=', 'unreviewed')
        .executeTakeFirstOrThrow();
      return { count: Number(r.n), oldestReceivedAt: (r.oldest as string | null) ?? null };
    },
    async reviewDurations(schoolId, from, to) {
      const rows = await db
        .selectFrom('captures')
        .select(['received_at', 'reviewed_at'])
        .where('school_id', '=', schoolId)
        .where('reviewed_at', 'is not', null)
        .where('reviewed_at', '>=', from)
        .where('reviewed_at', '<', to)
        .limit(20_000)
        .execute();
      return rows
        .map((r) => Date.parse(r.reviewed_at ?? '') - Date.parse(r.received_at))
        .filter((ms) => Number.isFinite(ms) && ms >= 0);
    },
    async incidentCounts(schoolId, from, to) {
      const base = () =>
        db
          .selectFrom('incidents')
          .select((e) => e.fn.countAll<number>().as('n'))
          .where('school_id', '=', schoolId);
      const [opened, closed, open] = await Promise.all([
        base().where('opened_at', '>=', from).where('opened_at', '<', to).executeTakeFirstOrThrow(),
        base().where('closed_at', '>=', from).where('closed_at', '<', to).executeTakeFirstOrThrow(),
        base().where('status', '!=', 'closed').executeTakeFirstOrThrow(),
      ]);
      return { opened: Number(opened.n), closed: Number(closed.n), open: Number(open.n) };
    },
    async openIncidents(schoolId, limit) {
      const rows = await db
        .selectFrom('incidents')
        .select(['id', 'reference', 'title', 'status', 'opened_at', 'legal_hold'])
        .where('school_id', '=', schoolId)
        .where('status', '!=', 'closed')
        .orderBy('opened_at', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        reference: r.reference,
        title: r.title,
        status: r.status,
        openedAt: r.opened_at,
        legalHold: r.legal_hold === 1,
      }));
    },
    async actionCounts(schoolId, from, to) {
      const rows = await db
        .selectFrom('incident_actions')
        .innerJoin('incidents', 'incidents.id', 'incident_actions.incident_id')
        .select(['incident_actions.kind', (e) => e.fn.countAll<number>().as('n')])
        .where('incidents.school_id', '=', schoolId)
        .where('incident_actions.taken_at', '>=', from)
        .where('incident_actions.taken_at', '<', to)
        .groupBy('incident_actions.kind')
        .orderBy('incident_actions.kind')
        .execute();
      return rows.map((r) => ({ kind: r.kind, n: Number(r.n) }));
    },
    async deviceHealth(schoolId, now) {
      const [devices, heartbeats] = await Promise.all([
        storage.devices.listForSchool(schoolId),
        storage.heartbeats.listForSchool(schoolId),
      ]);
      const latest = new Map(heartbeats.map((h) => [h.deviceId, h]));
      const rows = devices
        .filter((d) => d.revokedAt === null)
        .map((d) => deviceRow(d, latest.get(d.id), now));
      return {
        total: rows.length,
        active: rows.filter((r) => !r.stale).length,
        stale: rows.filter((r) => r.stale).length,
        withProblems: rows.filter((r) => r.problems.length > 0).length,
      };
    },
  };
}
