import type { AuditEntry } from '../audit/audit-log.js';
import { captureLink, preferencesLink } from './alert-links.js';
import { recipientsOf } from './alert-recipients.js';
import type {
  AlertCapture,
  AlertStore,
  CaptureCursor,
  DeliveryKey,
  Mailer,
  MailMessage,
  StaffRecipient,
  WebhookPoster,
} from './alert-ports.js';
import { compareCursors } from './alert-ports.js';
import { DEFAULT_ALERT_RULE } from './alert-rules.js';
import type { AlertRule } from './alert-rules.js';
import { formatWhen } from './alert-time.js';

export interface UrgentAlertDeps {
  store: AlertStore;
  mailer: Mailer;
  webhook: WebhookPoster;
  audit: { record(entry: AuditEntry): Promise<number> };
  clock: { now(): Date };
  publicUrl: string;
  /** Urgent captures received longer ago than this are left to the queue. */
  lookbackMs: number;
  /** Captures held in memory at once. */
  pageSize: number;
  log?: { warn(obj: object, msg: string): void };
}

interface School {
  id: string;
  name: string;
  timeZone: string;
}

/** One channel to one recipient: each urgent capture is delivered to each target once. */
interface Target {
  channel: DeliveryKey['channel'];
  recipient: string;
  details: Record<string, unknown>;
  send(capture: AlertCapture): Promise<void>;
}

/** An alert sent this long after the capture arrived says that it is late. */
const LATE_MS = 10 * 60_000;
/**
 * How far back every pass looks again, whatever it saw before: a capture is stamped with its
 * arrival time just before its row commits, so under load one may become visible a moment after a
 * later-stamped one. Far more than that moment; small enough to keep a pass cheap.
 */
const SETTLE_MS = 60_000;

/**
 * Where a school's next pass may start: every capture up to `after` was alerted, not urgent under
 * `rule`, or dismissed when last seen. Kept in memory: after a restart the first pass reads the whole
 * look-back once. A changed rule starts from the look-back again.
 */
export interface SchoolMark {
  rule: string;
  after: CaptureCursor | null;
}

const cursorOf = (c: AlertCapture): CaptureCursor => ({ receivedAt: c.receivedAt, id: c.id });
const earlier = (a: CaptureCursor | null, b: CaptureCursor | null): CaptureCursor | null =>
  a === null || b === null ? null : compareCursors(a, b) <= 0 ? a : b;

const deliveryKey = (k: DeliveryKey) => `${k.channel}|${k.recipient}|${k.captureId}`;
const targetKey = (t: Target) => `${t.channel}|${t.recipient}`;

/**
 * One pass over every school: the school's rule and recipients are read once, then its urgent
 * captures that still need alerting are read page by page from the database (never the whole
 * window at once) and each missing delivery is sent. A capture whose every delivery went out is
 * marked alerted and never read again; one with a failed delivery is read again next pass. Each
 * pass starts where the last one left off (`marks`), less a minute, so a busy day's captures are
 * not read again every pass.
 *
 * A target (a recipient's address, the webhook) that fails is not tried again in the same pass:
 * while the relay is down a pass costs one failed send per target, not one per capture, and it
 * stops reading a school's captures once all its targets have failed.
 */
export async function sendUrgentAlerts(
  deps: UrgentAlertDeps,
  marks: Map<string, SchoolMark> = new Map(),
): Promise<number> {
  const { store } = deps;
  const now = deps.clock.now();
  const since = new Date(now.getTime() - deps.lookbackMs).toISOString();
  const settled: CaptureCursor = { receivedAt: new Date(now.getTime() - SETTLE_MS).toISOString(), id: '' };
  const failed = new Set<string>();
  let sent = 0;
  for (const school of await store.schools()) {
    const rule = (await store.rule(school.id)) ?? DEFAULT_ALERT_RULE;
    const targets = await targetsOf(deps, school, rule, now);
    // Nobody to tell: the captures stay unmarked, so staff who opt in within the window are told.
    if (targets.length === 0) continue;
    const ruleKey = JSON.stringify(rule);
    const mark = marks.get(school.id);
    let after: CaptureCursor | null = mark?.rule === ruleKey ? mark.after : null;
    // The next pass starts before the first capture left incomplete (a failed send).
    let lastSeen = after;
    let keepFrom: CaptureCursor | null | undefined;
    while (!targets.every((t) => failed.has(targetKey(t)))) {
      const page = await store.urgentCandidates({
        schoolId: school.id,
        rule,
        since,
        after,
        limit: deps.pageSize,
      });
      const done = new Set((await store.deliveriesFor(page.map((c) => c.id))).map(deliveryKey));
      for (const capture of page) {
        let complete = true;
        for (const target of targets) {
          const key = { captureId: capture.id, channel: target.channel, recipient: target.recipient };
          if (done.has(deliveryKey(key))) continue;
          if (!failed.has(targetKey(target)) && (await deliver(deps, capture, key, target))) sent += 1;
          else {
            failed.add(targetKey(target));
            complete = false;
          }
        }
        if (complete) await store.markAlerted(capture.id, deps.clock.now().toISOString());
        else if (keepFrom === undefined) keepFrom = lastSeen;
        lastSeen = cursorOf(capture);
      }
      const last = page.at(-1);
      if (last === undefined || page.length < deps.pageSize) break;
      after = cursorOf(last);
    }
    // Read to the end with nothing left over: everything committed so far is settled.
    marks.set(school.id, {
      rule: ruleKey,
      after: keepFrom === undefined ? settled : earlier(keepFrom, settled),
    });
  }
  return sent;
}

/** Sends, then records the delivery, then audits it; a failed send is logged for the next pass. */
async function deliver(
  deps: UrgentAlertDeps,
  capture: AlertCapture,
  key: DeliveryKey,
  target: Target,
): Promise<boolean> {
  try {
    await target.send(capture);
  } catch (err) {
    const what = key.channel === 'email' ? 'e-mail' : 'webhook';
    deps.log?.warn({ err, captureId: capture.id }, `urgent alert ${what} failed; will retry`);
    return false;
  }
  // Recorded after the send: a crash in between repeats an alert rather than losing it.
  await deps.store.recordDelivery(key, deps.clock.now().toISOString());
  await deps.audit.record({
    action: 'alert.urgent.sent',
    targetType: 'capture',
    targetId: capture.id,
    schoolId: capture.schoolId,
    details: { channel: key.channel, ...target.details },
  });
  return true;
}

async function targetsOf(
  deps: UrgentAlertDeps,
  school: School,
  rule: AlertRule,
  now: Date,
): Promise<Target[]> {
  const targets: Target[] = (await recipientsOf(deps.store, school.id, 'urgent')).map(({ person }) => ({
    channel: 'email',
    recipient: person.userId,
    details: { recipientUserId: person.userId },
    send: (capture) => deps.mailer.send(urgentMail(deps.publicUrl, capture, school, person, now)),
  }));
  const url = rule.webhookUrl;
  if (url !== null)
    targets.push({
      channel: 'webhook',
      recipient: url,
      details: {},
      send: (capture) =>
        deps.webhook.post(url, {
          event: 'capture.urgent',
          captureId: capture.id,
          schoolId: capture.schoolId,
          capturedAt: capture.capturedAt,
          link: captureLink(deps.publicUrl, capture.id),
        }),
    });
  return targets;
}

/** A link only: never the screenshot, the phrase, the context or the pupil's name. */
function urgentMail(
  publicUrl: string,
  capture: AlertCapture,
  school: School,
  to: StaffRecipient,
  now: Date,
): MailMessage {
  const late = now.getTime() - Date.parse(capture.receivedAt) > LATE_MS;
  return {
    to: [to.email],
    subject: `Kestrel: urgent ${capture.category} capture (severity ${capture.severity}) at ${school.name}`,
    text: [
      `An urgent safeguarding capture at ${school.name} needs your attention.`,
      '',
      `Category: ${capture.category}, severity ${capture.severity} of 5`,
      `Captured: ${formatWhen(capture.capturedAt, school.timeZone)} (${school.timeZone})`,
      ...(late
        ? [
            `This alert is late: the capture reached Kestrel at ${formatWhen(capture.receivedAt, school.timeZone)}` +
              ' and the alert could not be sent until now.',
          ]
        : []),
      '',
      `Open it (sign-in required): ${captureLink(publicUrl, capture.id)}`,
      '',
      'This e-mail deliberately holds no screenshot, phrase or pupil details; they stay on the server.',
      `You receive urgent alerts for ${school.name}. Change this under Alert preferences: ${preferencesLink(publicUrl)}`,
    ].join('\n'),
  };
}
