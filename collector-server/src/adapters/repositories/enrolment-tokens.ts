import type { Kysely, Selectable } from 'kysely';
import type { EnrolmentToken, EnrolmentTokensRepository } from '../../ports/enrolment-tokens-repository.js';
import type { Database, EnrolmentTokensTable } from '../db/schema.js';

const toToken = (r: Selectable<EnrolmentTokensTable>): EnrolmentToken => ({
  id: r.id,
  schoolId: r.school_id,
  tokenHash: r.token_hash,
  label: r.label,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
});

export function enrolmentTokensRepository(db: Kysely<Database>): EnrolmentTokensRepository {
  return {
    async create(t) {
      await db
        .insertInto('enrolment_tokens')
        .values({
          id: t.id,
          school_id: t.schoolId,
          token_hash: t.tokenHash,
          label: t.label,
          created_at: t.createdAt,
          expires_at: t.expiresAt,
          revoked_at: t.revokedAt,
        })
        .execute();
    },
    async findByHash(tokenHash) {
      const r = await db
        .selectFrom('enrolment_tokens')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .executeTakeFirst();
      return r && toToken(r);
    },
    async listForSchool(schoolId) {
      const rows = await db
        .selectFrom('enrolment_tokens')
        .selectAll()
        .where('school_id', '=', schoolId)
        .orderBy('created_at')
        .execute();
      return rows.map(toToken);
    },
    async revoke(id, at) {
      await db
        .updateTable('enrolment_tokens')
        .set({ revoked_at: at })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .execute();
    },
    async count() {
      const r = await db
        .selectFrom('enrolment_tokens')
        .select((e) => e.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}
