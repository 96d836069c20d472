import type { Kysely } from 'kysely';
import type { LexiconOverridesStore } from '../../domain/lexicon-admin/lexicon-admin-service.js';
import { lexiconOverridesSchema } from '../../domain/lexicon-admin/lexicon-overrides.js';
import type { Database } from '../db/schema.js';
import { workflowDb } from '../db/workflow-schema.js';

export function lexiconOverridesStore(base: Kysely<Database>): LexiconOverridesStore {
  const db = workflowDb(base);
  return {
    async get(schoolId) {
      const r = await db
        .selectFrom('lexicon_overrides')
        .select('overrides_json')
        .where('school_id', '=', schoolId)
        .executeTakeFirst();
      return r === undefined ? undefined : lexiconOverridesSchema.parse(JSON.parse(r.overrides_json));
    },
    async put(schoolId, overrides, by, at) {
      const row = { overrides_json: JSON.stringify(overrides), updated_at: at, updated_by: by };
      await db
        .insertInto('lexicon_overrides')
        .values({ school_id: schoolId, ...row })
        .onConflict((oc) => oc.column('school_id').doUpdateSet(row))
        .execute();
    },
  };
}
