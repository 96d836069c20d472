import type { Health } from '@kestrel/shared/protocol';
import type { Kysely, Selectable } from 'kysely';
import type { Heartbeat, HeartbeatsRepository } from '../../ports/heartbeats-repository.js';
import type { Database, HeartbeatsTable } from '../db/schema.js';

const toHeartbeat = (r: Selectable<HeartbeatsTable>): Heartbeat => ({
  deviceId: r.device_id,
  receivedAt: r.received_at,
  agentVersion: r.agent_version,
  lexiconVersion: r.lexicon_version,
  queueLength: r.queue_length,
  evictions: r.evictions,
  quarantined: r.quarantined,
  health: JSON.parse(r.health_json) as Health,
});

export function heartbeatsRepository(db: Kysely<Database>): HeartbeatsRepository {
  return {
    async record(h) {
      const values = {
        received_at: h.receivedAt,
        agent_version: h.agentVersion,
        lexicon_version: h.lexiconVersion,
        queue_length: h.queueLength,
        evictions: h.evictions,
        quarantined: h.quarantined,
        health_json: JSON.stringify(h.health),
      };
      await db
        .insertInto('heartbeats')
        .values({ device_id: h.deviceId, ...values })
        .onConflict((oc) => oc.column('device_id').doUpdateSet(values))
        .execute();
    },
    async latest(deviceId) {
      const r = await db
        .selectFrom('heartbeats')
        .selectAll()
        .where('device_id', '=', deviceId)
        .executeTakeFirst();
      return r && toHeartbeat(r);
    },
    async listForSchool(schoolId) {
      const rows = await db
        .selectFrom('heartbeats')
        .innerJoin('devices', 'devices.id', 'heartbeats.device_id')
        .selectAll('heartbeats')
        .where('devices.school_id', '=', schoolId)
        .execute();
      return rows.map(toHeartbeat);
    },
    async count() {
      const r = await db
        .selectFrom('heartbeats')
        .select((e) => e.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}
