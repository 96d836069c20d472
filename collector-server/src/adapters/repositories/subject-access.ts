import { type Kysely, sql } from 'kysely';
import type { SubjectAccessSource } from '../../domain/retention/subject-access.js';
import type { IncidentsRepository } from '../../domain/incidents/incidents-repository.js';
import type { ScreenshotStore } from '../../ports/screenshot-store.js';
import type { CapturesRepository } from '../../ports/captures-repository.js';
import type { Database } from '../db/schema.js';
import { workflowDb } from '../db/workflow-schema.js';
import { evidenceCaptures } from './evidence-captures.js';

export function subjectAccessSource(
  base: Kysely<Database>,
  deps: { captures: CapturesRepository; incidents: IncidentsRepository; screenshots: ScreenshotStore },
): SubjectAccessSource {
  const db = workflowDb(base);
  const evidence = evidenceCaptures(deps.captures);
  return {
    async captures(schoolId, user) {
      const rows = await db
        .selectFrom('captures')
        .select('id')
        .where('school_id', '=', schoolId)
        .where(sql<string>`lower(os_user)`, '=', user.toLowerCase())
        .orderBy('received_at')
        .limit(10_000)
        .execute();
      const out = [];
      for (const r of rows) {
        const c = await evidence.get(r.id);
        if (c !== undefined) out.push(c);
      }
      return out;
    },
    async captureNotes(ids) {
      if (ids.length === 0) return [];
      const rows = await sql<{ capture_id: string; text: string; created_at: string }>`
        select capture_id, text, created_at from capture_notes where capture_id in (${sql.join(ids)}) order by created_at`.execute(
        base,
      );
      return rows.rows.map((r) => ({ captureId: r.capture_id, text: r.text, createdAt: r.created_at }));
    },
    async incidents(schoolId, user, captureIds) {
      const byUser = await db
        .selectFrom('incidents')
        .select('id')
        .where('school_id', '=', schoolId)
        .where(sql<string>`lower(subject_user)`, '=', user.toLowerCase())
        .execute();
      const ids = new Set(byUser.map((r) => r.id));
      if (captureIds.length > 0) {
        const linked = await db
          .selectFrom('incident_evidence')
          .select('incident_id')
          .where('capture_id', 'in', [...captureIds])
          .execute();
        for (const r of linked) ids.add(r.incident_id);
      }
      const out = [];
      for (const id of ids) {
        const i = await deps.incidents.get(id);
        if (i !== undefined && i.schoolId === schoolId) out.push(i);
      }
      return out;
    },
    async incidentRecords(id) {
      return { notes: await deps.incidents.notes(id), actions: await deps.incidents.actions(id) };
    },
    screenshot: (sha) => deps.screenshots.get(sha),
  };
}
