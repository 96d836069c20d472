import type { AuditEntry } from '../audit/audit-log.js';
import { captureLink, preferencesLink, queueLink } from './alert-links.js';
import type {
  AlertCapture,
  AlertStore,
  DeliveryKey,
  Mailer,
  StaffRecipient,
  WebhookPoster,
} from './alert-ports.js';
import { DEFAULT_ALERT_RULE, defaultPreferences, isUrgent } from './alert-rules.js';
import type { AlertPreferences } from './alert-rules.js';

export interface AlertDispatcherDeps {
  store: AlertStore;
  mailer: Mailer;
  webhook: WebhookPoster;
  audit: { record(entry: AuditEntry): Promise<number> };
  clock: { now(): Date };
  publicUrl: string;
  /** Urgent captures older than this are not alerted (after a long outage, the queue shows them). */
  lookbackMs?: number;
  log?: { warn(obj: object, msg: string): void };
}

const HOUR = 3_600_000;
const DIGEST_PERIOD: Record<'daily' | 'weekly', number> = { daily: 24 * HOUR, weekly: 7 * 24 * HOUR };

function formatWhen(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(
    new Date(iso),
  );
}

/**
 * Urgent alerts and digests. `dispatchUrgent` runs every few seconds (well within the minute the
 * DSL is promised); it scans recent captures, so an alert survives a restart and goes out once.
 * Messages carry links only: never the screenshot, the phrase, the context or the pupil's name.
 */
export class AlertDispatcher {
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: AlertDispatcherDeps) {}

  /** Serialised, so an overlapping timer tick never sends twice. */
  dispatchUrgent(): Promise<number> {
    const run = this.running.then(() => this.urgentOnce());
    this.running = run.catch(() => undefined);
    return run;
  }

  sendDigests(): Promise<number> {
    const run = this.running.then(() => this.digestsOnce());
    this.running = run.catch(() => undefined);
    return run;
  }

  private async urgentOnce(): Promise<number> {
    const { store } = this.deps;
    const now = this.deps.clock.now();
    const since = new Date(now.getTime() - (this.deps.lookbackMs ?? HOUR)).toISOString();
    const captures = await store.capturesReceivedSince(since, 1_000);
    const schools = new Map((await store.schools()).map((s) => [s.id, s]));
    let sent = 0;
    for (const capture of captures) {
      const rule = (await store.rule(capture.schoolId)) ?? DEFAULT_ALERT_RULE;
      if (!isUrgent(capture, rule) || capture.status === 'dismissed') continue;
      const school = schools.get(capture.schoolId) ?? {
        id: capture.schoolId,
        name: capture.schoolId,
        timeZone: 'Europe/London',
      };
      for (const person of await this.recipients(capture.schoolId, 'urgent')) {
        const key = { captureId: capture.id, channel: 'email' as const, recipient: person.userId };
        const delivered = await this.deliverOnce(capture, key, { recipientUserId: person.userId }, () =>
          this.deps.mailer.send(this.urgentMail(capture, school, person)),
        );
        if (delivered) sent += 1;
      }
      const url = rule.webhookUrl;
      if (url !== null) {
        const key = { captureId: capture.id, channel: 'webhook' as const, recipient: url };
        const delivered = await this.deliverOnce(capture, key, {}, () =>
          this.deps.webhook.post(url, {
            event: 'capture.urgent',
            captureId: capture.id,
            schoolId: capture.schoolId,
            capturedAt: capture.capturedAt,
            link: captureLink(this.deps.publicUrl, capture.id),
          }),
        );
        if (delivered) sent += 1;
      }
    }
    return sent;
  }

  /**
   * One urgent alert on one channel to one recipient, at most once: skipped when already delivered;
   * a failed send is logged and left for the next tick; a sent one is recorded, then audited.
   */
  private async deliverOnce(
    capture: AlertCapture,
    key: DeliveryKey,
    details: Record<string, unknown>,
    send: () => Promise<void>,
  ): Promise<boolean> {
    const { store } = this.deps;
    if (await store.delivered(key)) return false;
    try {
      await send();
    } catch (err) {
      const what = key.channel === 'email' ? 'e-mail' : 'webhook';
      this.deps.log?.warn({ err, captureId: capture.id }, `urgent alert ${what} failed; will retry`);
      return false;
    }
    await store.recordDelivery(key, this.deps.clock.now().toISOString());
    await this.deps.audit.record({
      action: 'alert.urgent.sent',
      targetType: 'capture',
      targetId: capture.id,
      schoolId: capture.schoolId,
      details: { channel: key.channel, ...details },
    });
    return true;
  }

  private urgentMail(capture: AlertCapture, school: { name: string; timeZone: string }, to: StaffRecipient) {
    const link = captureLink(this.deps.publicUrl, capture.id);
    return {
      to: [to.email],
      subject: `Kestrel: urgent ${capture.category} capture (severity ${capture.severity}) at ${school.name}`,
      text: [
        `An urgent safeguarding capture at ${school.name} needs your attention.`,
        '',
        `Category: ${capture.category}, severity ${capture.severity} of 5`,
        `Captured: ${formatWhen(capture.capturedAt, school.timeZone)} (${school.timeZone})`,
        '',
        `Open it (sign-in required): ${link}`,
        '',
        'This e-mail deliberately holds no screenshot, phrase or pupil details; they stay on the server.',
        `You receive urgent alerts for ${school.name}. Change this under Alert preferences: ${preferencesLink(this.deps.publicUrl)}`,
      ].join('\n'),
    };
  }

  private async digestsOnce(): Promise<number> {
    const { store } = this.deps;
    const now = this.deps.clock.now();
    let sent = 0;
    for (const school of await store.schools()) {
      for (const person of await this.recipients(school.id, 'digest')) {
        const prefs = await this.preferencesOf(person);
        if (prefs.digest === 'off') continue;
        const period = DIGEST_PERIOD[prefs.digest];
        const last = await store.lastDigest(person.userId);
        if (last !== undefined && now.getTime() - Date.parse(last) < period - HOUR) continue;
        const since = last ?? new Date(now.getTime() - period).toISOString();
        const counts = (await store.countsSince(school.id, since)).filter((c) => c.count > 0);
        const total = counts.reduce((n, c) => n + c.count, 0);
        const lines = counts.map((c) => `  ${c.category}: ${c.count}`);
        await this.deps.mailer.send({
          to: [person.email],
          subject: `Kestrel ${prefs.digest} digest for ${school.name}: ${total} capture${total === 1 ? '' : 's'}`,
          text: [
            `Captures at ${school.name} since ${formatWhen(since, school.timeZone)}:`,
            '',
            ...(lines.length === 0 ? ['  none'] : lines),
            '',
            `The queue (sign-in required): ${queueLink(this.deps.publicUrl, school.id)}`,
            `Change how often you receive this: ${preferencesLink(this.deps.publicUrl)}`,
          ].join('\n'),
        });
        await store.setLastDigest(person.userId, now.toISOString());
        await this.deps.audit.record({
          action: 'alert.digest.sent',
          targetType: 'user',
          targetId: person.userId,
          schoolId: school.id,
          details: { total },
        });
        sent += 1;
      }
    }
    return sent;
  }

  private async preferencesOf(person: StaffRecipient): Promise<AlertPreferences> {
    return (await this.deps.store.preferences(person.userId)) ?? defaultPreferences(person.roles);
  }

  /** Staff of the school who see captures there and asked for this kind of mail. */
  private async recipients(schoolId: string, kind: 'urgent' | 'digest'): Promise<StaffRecipient[]> {
    const out: StaffRecipient[] = [];
    for (const person of await this.deps.store.staffOf(schoolId)) {
      if (person.disabled) continue;
      // Governors and technical roles never receive alerts about pupils.
      if (!person.roles.some((r) => r === 'dsl' || r === 'moderator' || r === 'headteacher')) continue;
      const prefs = await this.preferencesOf(person);
      if (kind === 'urgent' ? prefs.urgentEmail : prefs.digest !== 'off') out.push(person);
    }
    return out;
  }
}
