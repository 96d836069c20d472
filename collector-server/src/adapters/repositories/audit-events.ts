import type { Kysely } from 'kysely';
import type { AuditEventsRepository } from '../../ports/audit-events-repository.js';
import type { Database } from '../db/schema.js';
import { appendChained, auditEventOf } from './audit-chain.js';

export function auditEventsRepository(db: Kysely<Database>): AuditEventsRepository {
  return {
    // Every event joins the hash chain (issue 7): see audit-chain.ts.
    append: (e) => appendChained(db, e),
    async list({ schoolId, action, afterSeq, limit }) {
      let q = db.selectFrom('audit_events').selectAll().orderBy('seq').limit(limit);
      if (schoolId !== undefined) q = q.where('school_id', '=', schoolId);
      if (action !== undefined) q = q.where('action', '=', action);
      if (afterSeq !== undefined) q = q.where('seq', '>', afterSeq);
      return (await q.execute()).map(auditEventOf);
    },
    async count() {
      const r = await db
        .selectFrom('audit_events')
        .select((e) => e.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}
