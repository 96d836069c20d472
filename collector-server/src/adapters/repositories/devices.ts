import type { Kysely, Selectable } from 'kysely';
import type { Device, DevicesRepository } from '../../ports/devices-repository.js';
import { prepared } from '../db/prepared.js';
import type { Database, DevicesTable } from '../db/schema.js';

const toDevice = (r: Selectable<DevicesTable>): Device => ({
  id: r.id,
  schoolId: r.school_id,
  hostname: r.hostname,
  os: r.os,
  agentVersion: r.agent_version,
  tokenHash: r.token_hash,
  enrolmentTokenId: r.enrolment_token_id,
  enrolledAt: r.enrolled_at,
  revokedAt: r.revoked_at,
  lastSeenAt: r.last_seen_at,
});

export function devicesRepository(db: Kysely<Database>): DevicesRepository {
  // Every agent request authenticates: the lookup is compiled once.
  const byTokenHash = prepared<'hash', Selectable<DevicesTable>>(db, (p) =>
    db.selectFrom('devices').selectAll().where('token_hash', '=', p('hash')),
  );
  return {
    async create(d) {
      await db
        .insertInto('devices')
        .values({
          id: d.id,
          school_id: d.schoolId,
          hostname: d.hostname,
          os: d.os,
          agent_version: d.agentVersion,
          token_hash: d.tokenHash,
          enrolment_token_id: d.enrolmentTokenId,
          enrolled_at: d.enrolledAt,
          revoked_at: d.revokedAt,
          last_seen_at: d.lastSeenAt,
        })
        .execute();
    },
    async get(id) {
      const r = await db.selectFrom('devices').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toDevice(r);
    },
    async findByTokenHash(tokenHash) {
      const r = (await byTokenHash({ hash: tokenHash })).rows[0];
      return r && toDevice(r);
    },
    async listForSchool(schoolId) {
      const rows = await db
        .selectFrom('devices')
        .selectAll()
        .where('school_id', '=', schoolId)
        .orderBy('hostname')
        .execute();
      return rows.map(toDevice);
    },
    async revoke(id, at) {
      await db
        .updateTable('devices')
        .set({ revoked_at: at })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .execute();
    },
    async touch(id, lastSeenAt, agentVersion) {
      await db
        .updateTable('devices')
        .set(
          agentVersion === undefined
            ? { last_seen_at: lastSeenAt }
            : { last_seen_at: lastSeenAt, agent_version: agentVersion },
        )
        .where('id', '=', id)
        .execute();
    },
    async count() {
      const r = await db
        .selectFrom('devices')
        .select((e) => e.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}
