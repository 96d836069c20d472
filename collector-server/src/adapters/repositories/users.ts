import type { Kysely, Selectable } from 'kysely';
import type { Role } from '../../ports/roles.js';
import type { User, UsersRepository } from '../../ports/users-repository.js';
import type { Database, UsersTable } from '../db/schema.js';

const toUser = (r: Selectable<UsersTable>): User => ({
  id: r.id,
  email: r.email,
  displayName: r.display_name,
  passwordHash: r.password_hash,
  createdAt: r.created_at,
  disabledAt: r.disabled_at,
});

export function usersRepository(db: Kysely<Database>): UsersRepository {
  return {
    async create(u) {
      await db
        .insertInto('users')
        .values({
          id: u.id,
          email: u.email.toLowerCase(),
          display_name: u.displayName,
          password_hash: u.passwordHash,
          created_at: u.createdAt,
          disabled_at: u.disabledAt,
        })
        .execute();
    },
    async get(id) {
      const r = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toUser(r);
    },
    async findByEmail(email) {
      const r = await db
        .selectFrom('users')
        .selectAll()
        .where('email', '=', email.toLowerCase())
        .executeTakeFirst();
      return r && toUser(r);
    },
    async count() {
      const r = await db
        .selectFrom('users')
        .select((e) => e.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async setPasswordHash(id, passwordHash) {
      await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).execute();
    },
    async addMembership(m) {
      await db
        .insertInto('memberships')
        .values({ user_id: m.userId, school_id: m.schoolId, role: m.role })
        .onConflict((oc) => oc.doNothing())
        .execute();
    },
    async removeMembership(m) {
      await db
        .deleteFrom('memberships')
        .where('user_id', '=', m.userId)
        .where('school_id', '=', m.schoolId)
        .where('role', '=', m.role)
        .execute();
    },
    async memberships(userId) {
      const rows = await db.selectFrom('memberships').selectAll().where('user_id', '=', userId).execute();
      return rows.map((r) => ({ userId: r.user_id, schoolId: r.school_id, role: r.role as Role }));
    },
  };
}
