import { type Kysely, PostgresAdapter, type Selectable, sql } from 'kysely';
import type { AuditFields, ChainedAuditEvent } from '../../domain/audit/audit-chain.js';
import { GENESIS_HASH, computeEventHash } from '../../domain/audit/audit-chain.js';
import { auditFieldsOf } from '../../domain/audit/audit-log.js';
import type { AuditEntry, AuditFilter } from '../../domain/audit/audit-log.js';
import type { AuditEventInput } from '../../ports/audit-events-repository.js';
import type { AuditEventsTable, Database } from '../db/schema.js';

// Any constant: the advisory lock that serialises appends to the chain across PostgreSQL sessions.
const CHAIN_LOCK_KEY = 7_070_707;

/**
 * Appends one event to the hash chain: reads the head and inserts the next link in one transaction
 * (joining the caller's when there is one, so an event commits with the change it records). On
 * PostgreSQL an advisory lock serialises writers; SQLite has one writer. A unique index on
 * `prev_hash` makes a fork impossible whatever happens.
 */
export async function appendChained(db: Kysely<Database>, input: AuditEventInput): Promise<number> {
  const run = async (trx: Kysely<Database>) => {
    if (trx.getExecutor().adapter instanceof PostgresAdapter)
      await sql`select pg_advisory_xact_lock(${CHAIN_LOCK_KEY})`.execute(trx);
    const head = await trx
      .selectFrom('audit_events')
      .select('hash')
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    const prevHash = head?.hash ?? GENESIS_HASH;
    const fields: AuditFields = {
      at: input.at,
      actorUserId: input.actorUserId,
      actorDeviceId: input.actorDeviceId ?? null,
      action: input.action,
      targetType: input.targetType,
      targetId: input.targetId,
      schoolId: input.schoolId,
      // Hash what will be read back: the JSON round trip drops undefined and turns dates to strings.
      details: JSON.parse(JSON.stringify(input.details ?? {})) as Record<string, unknown>,
    };
    const r = await trx
      .insertInto('audit_events')
      .values({
        at: fields.at,
        actor_user_id: fields.actorUserId,
        actor_device_id: fields.actorDeviceId,
        action: fields.action,
        target_type: fields.targetType,
        target_id: fields.targetId,
        school_id: fields.schoolId,
        details_json: JSON.stringify(fields.details),
        prev_hash: prevHash,
        hash: computeEventHash(fields, prevHash),
      })
      .returning('seq')
      .executeTakeFirstOrThrow();
    return Number(r.seq);
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

/** An `audit_events` row as the event it records (the one mapping; migrations keep their own). */
export function auditEventOf(r: Selectable<AuditEventsTable>): ChainedAuditEvent {
  return {
    seq: Number(r.seq),
    at: r.at,
    actorUserId: r.actor_user_id,
    actorDeviceId: r.actor_device_id,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    schoolId: r.school_id,
    details: JSON.parse(r.details_json) as Record<string, unknown>,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/** Events in `seq` order, read in pages so that verifying a long log holds little memory. */
export async function* scanAuditEvents(
  db: Kysely<Database>,
  filter: AuditFilter = {},
): AsyncIterable<ChainedAuditEvent> {
  const page = 1_000;
  let after = filter.afterSeq ?? 0;
  let yielded = 0;
  for (;;) {
    let q = db.selectFrom('audit_events').selectAll().where('seq', '>', after).orderBy('seq').limit(page);
    if (filter.schoolIds !== undefined) {
      const ids = filter.schoolIds.filter((s): s is string => s !== null);
      const withNull = filter.schoolIds.includes(null);
      q = q.where((eb) =>
        eb.or([
          ...(ids.length > 0 ? [eb('school_id', 'in', ids)] : []),
          ...(withNull ? [eb('school_id', 'is', null)] : []),
          ...(ids.length === 0 && !withNull ? [eb.val(false)] : []),
        ]),
      );
    }
    if (filter.action !== undefined)
      q = q.where('action', 'like', `${filter.action.replace(/[%_\\]/g, '')}%`);
    if (filter.actorUserId !== undefined) q = q.where('actor_user_id', '=', filter.actorUserId);
    if (filter.targetType !== undefined) q = q.where('target_type', '=', filter.targetType);
    if (filter.targetId !== undefined) q = q.where('target_id', '=', filter.targetId);
    if (filter.from !== undefined) q = q.where('at', '>=', filter.from);
    if (filter.to !== undefined) q = q.where('at', '<', filter.to);
    const rows = await q.execute();
    for (const r of rows) {
      yield auditEventOf(r);
      yielded += 1;
      if (filter.limit !== undefined && yielded >= filter.limit) return;
    }
    const last = rows.at(-1);
    if (last === undefined || rows.length < page) return;
    after = Number(last.seq);
  }
}

/** The workflow's audit recorder over SQL: `record` stamps the time and appends to the chain. */
export function sqlAuditLog(db: Kysely<Database>, clock: { now(): Date }) {
  return {
    record(entry: AuditEntry): Promise<number> {
      return appendChained(db, auditFieldsOf(entry, clock.now().toISOString()));
    },
  };
}
