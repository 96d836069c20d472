import { preferencesLink, queueLink } from './alert-links.js';
import { recipientsOf } from './alert-recipients.js';
import { formatWhen } from './alert-time.js';
import { CoalescedRun } from '../coalesced-run.js';
import { type SchoolMark, type UrgentAlertDeps, sendUrgentAlerts } from './urgent-alerts.js';

/** What the urgent pass needs, with its look-back and page size optional. */
export type AlertDispatcherDeps = Omit<UrgentAlertDeps, 'lookbackMs' | 'pageSize'> & {
  /**
   * Urgent captures not yet alerted are looked for this far back (default 24 hours), so alerts
   * held up by a mail outage or a stopped collector still go out, saying they are late. Older
   * ones are left to the queue.
   */
  lookbackMs?: number;
  /** Urgent candidates read from storage at once (default 200): bounds a pass's memory. */
  pageSize?: number;
};

const HOUR = 3_600_000;
/** How often an urgent pass reads the whole look-back instead of starting where the last ended. */
const FULL_SWEEP_MS = 5 * 60_000;
const DIGEST_PERIOD: Record<'daily' | 'weekly', number> = { daily: 24 * HOUR, weekly: 7 * 24 * HOUR };

/**
 * Urgent alerts and digests. `dispatchUrgent` runs every few seconds (well within the minute the
 * DSL is promised); it reads the urgent captures still to alert from storage, so an alert survives
 * a restart and goes out once. Messages carry links only: never the screenshot, the phrase, the
 * context or the pupil's name.
 */
export class AlertDispatcher {
  private readonly urgent: CoalescedRun<number>;
  /** Where each school's next urgent pass starts (urgent-alerts.ts). */
  private readonly marks = new Map<string, SchoolMark>();
  private lastSweep = Number.NEGATIVE_INFINITY;
  private readonly digests: CoalescedRun<number>;

  constructor(private readonly deps: AlertDispatcherDeps) {
    this.urgent = new CoalescedRun(() => {
      // Now and then a pass reads the whole look-back again: a capture that was dismissed when
      // passes went by and is restored later (undo, a second look) is alerted within minutes.
      const now = deps.clock.now().getTime();
      if (now - this.lastSweep >= FULL_SWEEP_MS) {
        this.marks.clear();
        this.lastSweep = now;
      }
      return sendUrgentAlerts(
        { ...deps, lookbackMs: deps.lookbackMs ?? 24 * HOUR, pageSize: deps.pageSize ?? 200 },
        this.marks,
      );
    });
    this.digests = new CoalescedRun(() => this.digestsOnce());
  }

  /**
   * One pass at a time: a call while a pass runs shares a single follow-up pass instead of
   * queueing one per call, so slow passes never pile up and nothing is sent twice.
   */
  dispatchUrgent(): Promise<number> {
    return this.urgent.run();
  }

  /** Coalesced like `dispatchUrgent`, on its own lane: two digest passes never overlap. */
  sendDigests(): Promise<number> {
    return this.digests.run();
  }

  private async digestsOnce(): Promise<number> {
    const { store } = this.deps;
    const now = this.deps.clock.now();
    let sent = 0;
    for (const school of await store.schools()) {
      for (const { person, prefs } of await recipientsOf(store, school.id, 'digest')) {
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
}
