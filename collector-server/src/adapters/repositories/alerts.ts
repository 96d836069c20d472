import type { Category, Severity } from '@kestrel/shared/protocol';
import type { Kysely } from 'kysely';
import type { AlertCapture, AlertStore, StaffRecipient } from '../../domain/alerts/alert-ports.js';
import { alertRuleSchema } from '../../domain/alerts/alert-rules.js';
import type { Digest } from '../../domain/alerts/alert-rules.js';
import type { Role } from '../../ports/roles.js';
import type { CapturesTable, Database } from '../db/schema.js';
import { workflowDb } from '../db/workflow-schema.js';

/**
 * `markAlerted` is a row in `alert_deliveries` on this pseudo-channel: looked up through the table's
 * primary key (capture_id, channel, recipient) and removed with the capture by retention, like
 * every other delivery row.
 */
const ALERTED_CHANNEL = 'alerted';

function toAlertCapture(
  r: Pick<
    CapturesTable,
    'id' | 'school_id' | 'category' | 'severity' | 'captured_at_utc' | 'received_at' | 'status'
  >,
): AlertCapture {
  return {
    id: r.id,
    schoolId: r.school_id,
    category: r.category as Category,
    severity: r.severity as Severity,
    capturedAt: r.captured_at_utc,
    receivedAt: r.received_at,
    status: r.status,
  };
}

export function alertStore(base: Kysely<Database>): AlertStore {
  const db = workflowDb(base);
  return {
    async rule(schoolId) {
      const r = await db
        .selectFrom('alert_rules')
        .select('rule_json')
        .where('school_id', '=', schoolId)
        .executeTakeFirst();
      return r === undefined ? undefined : alertRuleSchema.parse(JSON.parse(r.rule_json));
    },
    async setRule(schoolId, rule, by) {
      const row = { rule_json: JSON.stringify(rule), updated_at: new Date().toISOString(), updated_by: by };
      await db
        .insertInto('alert_rules')
        .values({ school_id: schoolId, ...row })
        .onConflict((oc) => oc.column('school_id').doUpdateSet(row))
        .execute();
    },
    async preferences(userId) {
      const r = await db
        .selectFrom('alert_preferences')
        .selectAll()
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return r === undefined ? undefined : { urgentEmail: r.urgent_email === 1, digest: r.digest as Digest };
    },
    async setPreferences(userId, prefs) {
      const row = { urgent_email: prefs.urgentEmail ? 1 : 0, digest: prefs.digest };
      await db
        .insertInto('alert_preferences')
        .values({ user_id: userId, ...row })
        .onConflict((oc) => oc.column('user_id').doUpdateSet(row))
        .execute();
    },
    async capturesReceivedSince(since, limit) {
      const rows = await db
        .selectFrom('captures')
        .select(['id', 'school_id', 'category', 'severity', 'captured_at_utc', 'received_at', 'status'])
        .where('received_at', '>=', since)
        .orderBy('received_at')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(toAlertCapture);
    },
    async urgentCandidates({ schoolId, rule, since, after, limit }) {
      // Walks captures_school_received (school_id, received_at, id) from the cursor; the marker is
      // probed through alert_deliveries' primary key. Memory is one page, however busy the window.
      let query = db
        .selectFrom('captures as c')
        .select([
          'c.id',
          'c.school_id',
          'c.category',
          'c.severity',
          'c.captured_at_utc',
          'c.received_at',
          'c.status',
        ])
        .where('c.school_id', '=', schoolId)
        .where('c.received_at', '>=', since)
        .where('c.status', '!=', 'dismissed')
        .where((eb) =>
          eb.or([
            eb('c.severity', '>=', rule.minSeverity),
            ...(rule.categories.length === 0 ? [] : [eb('c.category', 'in', rule.categories)]),
          ]),
        )
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('alert_deliveries as d')
                .select('d.capture_id')
                .whereRef('d.capture_id', '=', 'c.id')
                .where('d.channel', '=', ALERTED_CHANNEL),
            ),
          ),
        );
      if (after !== null)
        query = query.where((eb) =>
          eb(eb.refTuple('c.received_at', 'c.id'), '>', eb.tuple(after.receivedAt, after.id)),
        );
      const rows = await query.orderBy('c.received_at').orderBy('c.id').limit(limit).execute();
      return rows.map(toAlertCapture);
    },
    async deliveriesFor(captureIds) {
      if (captureIds.length === 0) return [];
      const rows = await db
        .selectFrom('alert_deliveries')
        .select(['capture_id', 'channel', 'recipient'])
        .where('capture_id', 'in', [...captureIds])
        .where('channel', 'in', ['email', 'webhook'])
        .execute();
      return rows.map((r) => ({
        captureId: r.capture_id,
        channel: r.channel as 'email' | 'webhook',
        recipient: r.recipient,
      }));
    },
    async markAlerted(captureId, at) {
      await db
        .insertInto('alert_deliveries')
        .values({ capture_id: captureId, channel: ALERTED_CHANNEL, recipient: '', delivered_at: at })
        .onConflict((oc) => oc.columns(['capture_id', 'channel', 'recipient']).doNothing())
        .execute();
    },
    async delivered(k) {
      const r = await db
        .selectFrom('alert_deliveries')
        .select('capture_id')
        .where('capture_id', '=', k.captureId)
        .where('channel', '=', k.channel)
        .where('recipient', '=', k.recipient)
        .executeTakeFirst();
      return r !== undefined;
    },
    async recordDelivery(k, at) {
      await db
        .insertInto('alert_deliveries')
        .values({ capture_id: k.captureId, channel: k.channel, recipient: k.recipient, delivered_at: at })
        .onConflict((oc) => oc.columns(['capture_id', 'channel', 'recipient']).doNothing())
        .execute();
    },
    async lastDigest(userId) {
      const r = await db
        .selectFrom('alert_digests')
        .select('last_sent_at')
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return r?.last_sent_at;
    },
    async setLastDigest(userId, at) {
      await db
        .insertInto('alert_digests')
        .values({ user_id: userId, last_sent_at: at })
        .onConflict((oc) => oc.column('user_id').doUpdateSet({ last_sent_at: at }))
        .execute();
    },
    async countsSince(schoolId, since) {
      const rows = await db
        .selectFrom('captures')
        .select(['category', (e) => e.fn.countAll<number>().as('n')])
        .where('school_id', '=', schoolId)
        .where('received_at', '>=', since)
        .groupBy('category')
        .orderBy('category')
        .execute();
      return rows.map((r) => ({ category: r.category as Category, count: Number(r.n) }));
    },
    async schools() {
      const rows = await db
        .selectFrom('schools')
        .select(['id', 'name', 'time_zone'])
        .orderBy('name')
        .execute();
      return rows.map((r) => ({ id: r.id, name: r.name, timeZone: r.time_zone }));
    },
    async staffOf(schoolId) {
      const rows = await db
        .selectFrom('memberships')
        .innerJoin('users', 'users.id', 'memberships.user_id')
        .select(['users.id', 'users.email', 'users.display_name', 'users.disabled_at', 'memberships.role'])
        .where('memberships.school_id', '=', schoolId)
        .orderBy('users.email')
        .execute();
      const byUser = new Map<string, StaffRecipient>();
      for (const r of rows) {
        const person = byUser.get(r.id) ?? {
          userId: r.id,
          email: r.email,
          displayName: r.display_name,
          roles: [] as Role[],
          disabled: r.disabled_at !== null,
        };
        person.roles.push(r.role as Role);
        byUser.set(r.id, person);
      }
      return [...byUser.values()];
    },
  };
}
