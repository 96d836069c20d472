import type { LexiconFile } from '@kestrel/shared/lexicon';
import type { AgentPolicy } from '@kestrel/shared/protocol';
import type { Kysely } from 'kysely';
import type { PoliciesRepository } from '../../ports/policies-repository.js';
import type { Database } from '../db/schema.js';

export function policiesRepository(db: Kysely<Database>): PoliciesRepository {
  return {
    async get(schoolId) {
      const r = await db
        .selectFrom('school_policies')
        .selectAll()
        .where('school_id', '=', schoolId)
        .executeTakeFirst();
      return (
        r && {
          schoolId: r.school_id,
          policy: JSON.parse(r.policy_json) as AgentPolicy,
          lexicon: r.lexicon_json === null ? null : (JSON.parse(r.lexicon_json) as LexiconFile),
          updatedAt: r.updated_at,
          updatedBy: r.updated_by,
        }
      );
    },
    async updatedAt(schoolId) {
      const r = await db
        .selectFrom('school_policies')
        .select('updated_at')
        .where('school_id', '=', schoolId)
        .executeTakeFirst();
      return r?.updated_at;
    },
    async put(p) {
      const values = {
        policy_json: JSON.stringify(p.policy),
        lexicon_json: p.lexicon === null ? null : JSON.stringify(p.lexicon),
        updated_at: p.updatedAt,
        updated_by: p.updatedBy,
      };
      await db
        .insertInto('school_policies')
        .values({ school_id: p.schoolId, ...values })
        .onConflict((oc) => oc.column('school_id').doUpdateSet(values))
        .execute();
    },
  };
}
