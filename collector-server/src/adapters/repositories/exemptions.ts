import type { Category } from '@kestrel/shared/protocol';
import type { Kysely, Selectable } from 'kysely';
import type { Exemption } from '../../domain/lexicon-admin/exemption.js';
import type { ExemptionsRepository } from '../../domain/lexicon-admin/exemption-service.js';
import type { Database } from '../db/schema.js';
import type { ExemptionsTable } from '../db/workflow-schema.js';
import { workflowDb } from '../db/workflow-schema.js';

function toExemption(r: Selectable<ExemptionsTable>): Exemption {
  return {
    id: r.id,
    schoolId: r.school_id,
    categories: JSON.parse(r.categories_json) as Category[],
    deviceIds: JSON.parse(r.device_ids_json) as string[],
    hostnamePattern: r.hostname_pattern,
    reason: r.reason,
    grantedBy: r.granted_by,
    startsAt: r.starts_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    revokedBy: r.revoked_by,
  };
}

export function exemptionsRepository(base: Kysely<Database>): ExemptionsRepository {
  const db = workflowDb(base);
  return {
    async create(e) {
      await db
        .insertInto('exemptions')
        .values({
          id: e.id,
          school_id: e.schoolId,
          categories_json: JSON.stringify(e.categories),
          device_ids_json: JSON.stringify(e.deviceIds),
          hostname_pattern: e.hostnamePattern,
          reason: e.reason,
          granted_by: e.grantedBy,
          starts_at: e.startsAt,
          expires_at: e.expiresAt,
          revoked_at: null,
          revoked_by: null,
        })
        .execute();
    },
    async get(id) {
      const r = await db.selectFrom('exemptions').selectAll().where('id', '=', id).executeTakeFirst();
      return r === undefined ? undefined : toExemption(r);
    },
    async listForSchool(schoolId) {
      const rows = await db
        .selectFrom('exemptions')
        .selectAll()
        .where('school_id', '=', schoolId)
        .orderBy('expires_at', 'desc')
        .limit(500)
        .execute();
      return rows.map(toExemption);
    },
    async currentForSchool(schoolId, now) {
      const rows = await db
        .selectFrom('exemptions')
        .selectAll()
        .where('school_id', '=', schoolId)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now)
        .execute();
      return rows.map(toExemption);
    },
    async revoke(id, by, at) {
      await db
        .updateTable('exemptions')
        .set({ revoked_at: at, revoked_by: by })
        .where('id', '=', id)
        .execute();
    },
  };
}
