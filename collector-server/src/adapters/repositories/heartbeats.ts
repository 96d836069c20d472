import type { Health } from '@kestrel/shared/protocol';
import type { Kysely, Selectable } from 'kysely';
import type { Heartbeat, HeartbeatsRepository } from '../../ports/heartbeats-repository.js';
import { prepared } from '../db/prepared.js';
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

type HeartbeatParam =
  | 'deviceId'
  | 'receivedAt'
  | 'agentVersion'
  | 'lexiconVersion'
  | 'queueLength'
  | 'evictions'
  | 'quarantined'
  | 'health';

export function heartbeatsRepository(db: Kysely<Database>): HeartbeatsRepository {
  // The busiest write of all (every device, every few minutes): compiled once.
  const upsert = prepared<HeartbeatParam, never>(db, (p) => {
    const values = {
      received_at: p('receivedAt'),
      agent_version: p('agentVersion'),
      lexicon_version: p('lexiconVersion'),
      queue_length: p('queueLength') as unknown as number,
      evictions: p('evictions') as unknown as number,
      quarantined: p('quarantined') as unknown as number,
      health_json: p('health'),
    };
    return db
      .insertInto('heartbeats')
      .values({ device_id: p('deviceId'), ...values })
      .onConflict((oc) => oc.column('device_id').doUpdateSet(values));
  });
  return {
    async record(h) {
      await upsert({
        deviceId: h.deviceId,
        receivedAt: h.receivedAt,
        agentVersion: h.agentVersion,
        lexiconVersion: h.lexiconVersion,
        queueLength: h.queueLength,
        evictions: h.evictions,
        quarantined: h.quarantined,
        health: JSON.stringify(h.health),
      });
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
