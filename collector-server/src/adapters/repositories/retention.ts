import { type Kysely, sql } from 'kysely';
import type { RetentionStore } from '../../domain/retention/retention-ports.js';
import { retentionPolicySchema } from '../../domain/retention/retention-policy.js';
import type { Database } from '../db/schema.js';
import { workflowDb } from '../db/workflow-schema.js';
import { incidentsRepository } from './incidents.js';

/**
 * Rows that hang off a capture and go with it. Moderation's tables hold notes and actions about
 * the capture (pupil data too), so retention removes them with the capture.
 */
const CAPTURE_CHILD_TABLES = [
  'alert_deliveries',
  'incident_evidence',
  'moderation_action_items',
  'capture_notes',
  'capture_reveals',
  'exception_suggestions',
] as const;

export function retentionStore(base: Kysely<Database>): RetentionStore {
  const db = workflowDb(base);
  const incidents = incidentsRepository(base);
  return {
    async schools() {
      return db.selectFrom('schools').select('id').orderBy('id').execute();
    },
    async policy(schoolId) {
      const r = await db
        .selectFrom('retention_policies')
        .select('policy_json')
        .where('school_id', '=', schoolId)
        .executeTakeFirst();
      return r === undefined ? undefined : retentionPolicySchema.parse(JSON.parse(r.policy_json));
    },
    async setPolicy(schoolId, policy, by, at) {
      const row = { policy_json: JSON.stringify(policy), updated_at: at, updated_by: by };
      await db
        .insertInto('retention_policies')
        .values({ school_id: schoolId, ...row })
        .onConflict((oc) => oc.column('school_id').doUpdateSet(row))
        .execute();
    },
    async expiredCaptures(schoolId, status, before, limit) {
      const rows = await db
        .selectFrom('captures')
        .select(['id', 'screenshot_sha256', 'thumbnail_sha256'])
        .where('school_id', '=', schoolId)
        .where('status', '=', status)
        // Age counts from the last status change (the review), else from receipt.
        .where((eb) => eb(eb.fn.coalesce('reviewed_at', 'received_at'), '<', before))
        .orderBy('received_at')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ id: r.id, fileHashes: [r.screenshot_sha256, r.thumbnail_sha256] }));
    },
    // What counts as evidence is the incident log's to say.
    protectedCaptureIds: (schoolId) => incidents.protectedCaptureIds(schoolId),
    async deleteCaptures(ids) {
      if (ids.length === 0) return;
      await base.transaction().execute(async (trx) => {
        for (const table of CAPTURE_CHILD_TABLES) {
          await sql`delete from ${sql.table(table)} where capture_id in (${sql.join(ids)})`.execute(trx);
        }
        await trx
          .deleteFrom('captures')
          .where('id', 'in', [...ids])
          .execute();
      });
    },
    async fileReferenced(sha256) {
      const r = await db
        .selectFrom('captures')
        .select('id')
        .where((eb) => eb.or([eb('screenshot_sha256', '=', sha256), eb('thumbnail_sha256', '=', sha256)]))
        .limit(1)
        .executeTakeFirst();
      return r !== undefined;
    },
    async expiredIncidents(schoolId, before, limit) {
      const rows = await db
        .selectFrom('incidents')
        .select('id')
        .where('school_id', '=', schoolId)
        .where('status', '=', 'closed')
        .where('legal_hold', '=', 0)
        .where('closed_at', '<', before)
        .orderBy('closed_at')
        .limit(limit)
        .execute();
      return rows.map((r) => r.id);
    },
    async deleteIncident(id) {
      await base.transaction().execute(async (trx) => {
        const w = workflowDb(trx);
        await w.deleteFrom('incident_evidence').where('incident_id', '=', id).execute();
        await w.deleteFrom('incident_notes').where('incident_id', '=', id).execute();
        await w.deleteFrom('incident_actions').where('incident_id', '=', id).execute();
        await w.deleteFrom('incidents').where('id', '=', id).execute();
      });
    },
  };
}
