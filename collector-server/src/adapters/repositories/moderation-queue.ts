import type { Kysely, RawBuilder } from 'kysely';
import { sql } from 'kysely';
import { chooseGroupKey, GROUP_WINDOW_MS } from '../../domain/moderation/grouping.js';
import type { QueuePosition } from '../../domain/moderation/queue-cursor.js';
import type { Capture } from '../../ports/captures-repository.js';
import type { Database } from '../db/schema.js';
import { toCapture } from './captures.js';
import { moderationDb } from './moderation-tables.js';

/** What a queue request may narrow by; `schoolIds` is already limited to what the user may see. */
export interface QueueFilter {
  schoolIds: readonly string[];
  status: string;
  category?: string;
  minSeverity?: number;
  machine?: string;
  user?: string;
  fromUtc?: string;
  toUtc?: string;
  q?: string;
}

export interface QueueCapture extends Capture {
  groupKey: string | null;
}

export interface QueueGroupRow {
  lead: QueueCapture;
  count: number;
  machineCount: number;
}

type Row = Parameters<typeof toCapture>[0] & { group_key: string | null };

const toQueueCapture = (r: Row): QueueCapture => ({ ...toCapture(r), groupKey: r.group_key });

/** LIKE pattern for "contains", with the user's wildcards escaped. */
function contains(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
}

function conditions(alias: string, f: QueueFilter): RawBuilder<unknown>[] {
  const col = (name: string) => sql.ref(`${alias}.${name}`);
  const out: RawBuilder<unknown>[] = [sql`${col('status')} = ${f.status}`];
  out.push(
    f.schoolIds.length === 1
      ? sql`${col('school_id')} = ${f.schoolIds[0]}`
      : sql`${col('school_id')} in (${sql.join([...f.schoolIds])})`,
  );
  if (f.category !== undefined) out.push(sql`${col('category')} = ${f.category}`);
  if (f.minSeverity !== undefined) out.push(sql`${col('severity')} >= ${f.minSeverity}`);
  if (f.machine !== undefined)
    out.push(sql`lower(${col('machine')}) like ${contains(f.machine)} escape '\\'`);
  if (f.user !== undefined) out.push(sql`lower(${col('os_user')}) like ${contains(f.user)} escape '\\'`);
  if (f.fromUtc !== undefined) out.push(sql`${col('captured_at_utc')} >= ${f.fromUtc}`);
  if (f.toUtc !== undefined) out.push(sql`${col('captured_at_utc')} < ${f.toUtc}`);
  if (f.q !== undefined) {
    const p = contains(f.q);
    out.push(
      sql`(lower(${col('term')}) like ${p} escape '\\' or lower(${col('context')}) like ${p} escape '\\' or lower(${col('window_title')}) like ${p} escape '\\' or lower(coalesce(${col('url')}, '')) like ${p} escape '\\')`,
    );
  }
  return out;
}

const and = (parts: RawBuilder<unknown>[]) => sql.join(parts, sql` and `);

export function moderationQueueRepository(db: Kysely<Database>) {
  const mdb = moderationDb(db);
  return {
    /**
     * Gives new captures their group: the group of the nearest capture with the same school,
     * category and term within the window, else a group of their own. Runs before queue reads,
     * so ingest stays untouched and a capture is grouped however it arrived.
     */
    async assignPendingGroups(limit = 500): Promise<number> {
      const pending = await mdb
        .selectFrom('captures')
        .select(['id', 'school_id', 'category', 'term', 'captured_at_utc'])
        .where('group_key', 'is', null)
        .orderBy('received_at')
        .limit(limit)
        .execute();
      for (const p of pending) {
        const t = Date.parse(p.captured_at_utc);
        const near = await mdb
          .selectFrom('captures')
          .select(['group_key', 'captured_at_utc'])
          .where('school_id', '=', p.school_id)
          .where('category', '=', p.category)
          .where('term', '=', p.term)
          .where('captured_at_utc', '>=', new Date(t - GROUP_WINDOW_MS).toISOString())
          .where('captured_at_utc', '<=', new Date(t + GROUP_WINDOW_MS).toISOString())
          .where('group_key', 'is not', null)
          .limit(50)
          .execute();
        const key = chooseGroupKey(
          { id: p.id, capturedAtMs: t },
          near.map((n) => ({ groupKey: n.group_key ?? '', capturedAtMs: Date.parse(n.captured_at_utc) })),
        );
        await mdb
          .updateTable('captures')
          .set({ group_key: key })
          .where('id', '=', p.id)
          .where('group_key', 'is', null)
          .execute();
      }
      return pending.length;
    },

    /**
     * One page of queue rows in queue order. A row is a group's lead: the first of its members,
     * under the same filter, in queue order; members further down are counted, not repeated.
     */
    async page(f: QueueFilter, limit: number, after?: QueuePosition): Promise<QueueGroupRow[]> {
      if (f.schoolIds.length === 0) return [];
      const where = conditions('c', f);
      if (after)
        where.push(
          sql`(c.severity, c.captured_at_utc, c.id) < (${after.severity}, ${after.capturedAt}, ${after.id})`,
        );
      const leadsOnly = sql`not exists (select 1 from captures c2 where c2.group_key = c.group_key and ${and(
        conditions('c2', f),
      )} and (c2.severity, c2.captured_at_utc, c2.id) > (c.severity, c.captured_at_utc, c.id))`;
      const leads = await sql<Row>`select c.* from captures c where ${and(where)} and ${leadsOnly}
        order by c.severity desc, c.captured_at_utc desc, c.id desc limit ${limit}`.execute(db);
      const keys = [...new Set(leads.rows.map((r) => r.group_key).filter((k): k is string => k !== null))];
      const counts = new Map<string, { n: number; m: number }>();
      if (keys.length > 0) {
        const res = await sql<{ group_key: string; n: number; m: number }>`select c.group_key, count(*) as n,
          count(distinct c.machine) as m from captures c where c.group_key in (${sql.join(keys)}) and ${and(
            conditions('c', f),
          )} group by c.group_key`.execute(db);
        for (const r of res.rows) counts.set(r.group_key, { n: Number(r.n), m: Number(r.m) });
      }
      return leads.rows.map((r) => {
        const c = r.group_key === null ? undefined : counts.get(r.group_key);
        return { lead: toQueueCapture(r), count: c?.n ?? 1, machineCount: c?.m ?? 1 };
      });
    },

    /** Every member of a group under the filter, in queue order. */
    async groupMembers(f: QueueFilter, groupKey: string, limit = 500): Promise<QueueCapture[]> {
      if (f.schoolIds.length === 0) return [];
      const res = await sql<Row>`select c.* from captures c where c.group_key = ${groupKey} and ${and(
        conditions('c', f),
      )} order by c.severity desc, c.captured_at_utc desc, c.id desc limit ${limit}`.execute(db);
      return res.rows.map(toQueueCapture);
    },

    async get(id: string): Promise<QueueCapture | undefined> {
      const r = await mdb.selectFrom('captures').selectAll().where('id', '=', id).executeTakeFirst();
      return r === undefined ? undefined : toQueueCapture(r);
    },

    async getMany(ids: readonly string[]): Promise<QueueCapture[]> {
      if (ids.length === 0) return [];
      const rows = await mdb
        .selectFrom('captures')
        .selectAll()
        .where('id', 'in', [...ids])
        .execute();
      return rows.map(toQueueCapture);
    },

    /** The same pupil's other captures in that school, newest first. */
    async recentForUser(
      schoolId: string,
      user: string,
      exceptId: string,
      limit = 10,
    ): Promise<QueueCapture[]> {
      const rows = await mdb
        .selectFrom('captures')
        .selectAll()
        .where('school_id', '=', schoolId)
        .where('os_user', '=', user)
        .where('id', '!=', exceptId)
        .orderBy('captured_at_utc', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toQueueCapture);
    },

    /** A fingerprint of the queue's state for the live-update ETag: newest arrival and newest action. */
    async head(schoolIds: readonly string[]): Promise<string> {
      if (schoolIds.length === 0) return 'empty';
      // One index seek per school (max over a leading-column range); an IN list would scan.
      let arrived = '';
      for (const schoolId of schoolIds) {
        const r = await mdb
          .selectFrom('captures')
          .select((e) => e.fn.max('received_at').as('at'))
          .where('school_id', '=', schoolId)
          .executeTakeFirst();
        if (r?.at && r.at > arrived) arrived = r.at;
      }
      const acted = await mdb
        .selectFrom('moderation_actions')
        .select((e) => [e.fn.max('created_at').as('at'), e.fn.max('undone_at').as('undone')])
        .executeTakeFirst();
      return `${arrived}|${acted?.at ?? ''}|${acted?.undone ?? ''}`;
    },
  };
}

export type ModerationQueueRepository = ReturnType<typeof moderationQueueRepository>;
