import type { Kysely, Selectable } from 'kysely';
import type { School, SchoolsRepository } from '../../ports/schools-repository.js';
import type { Database, SchoolsTable } from '../db/schema.js';

const toSchool = (r: Selectable<SchoolsTable>): School => ({
  id: r.id,
  name: r.name,
  timeZone: r.time_zone,
  createdAt: r.created_at,
});

export function schoolsRepository(db: Kysely<Database>): SchoolsRepository {
  return {
    async create(s) {
      await db
        .insertInto('schools')
        .values({ id: s.id, name: s.name, time_zone: s.timeZone, created_at: s.createdAt })
        .execute();
    },
    async get(id) {
      const r = await db.selectFrom('schools').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toSchool(r);
    },
    async list() {
      return (await db.selectFrom('schools').selectAll().orderBy('name').execute()).map(toSchool);
    },
    async count() {
      const r = await db
        .selectFrom('schools')
        .select((e) => e.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}
