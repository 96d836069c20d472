import { describe, expect, it } from 'vitest';
import { AuditLog } from '../audit/audit-log.js';
import { MemoryAuditChainStore } from '../audit/memory-audit-chain-store.js';
import type { AlertCapture, MailMessage } from './alert-ports.js';
import { AlertDispatcher } from './alert-dispatcher.js';
import { MemoryAlertStore } from './memory-alert-store.js';

const NOW = Date.parse('2026-11-23T10:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const at = (msBefore: number) => new Date(NOW - msBefore).toISOString();

function capture(id: string, receivedMsAgo: number, over: Partial<AlertCapture> = {}): AlertCapture {
  return {
    id,
    schoolId: 'a',
    category: 'suicide',
    severity: 5,
    capturedAt: at(receivedMsAgo + 5_000),
    receivedAt: at(receivedMsAgo),
    status: 'unreviewed',
    ...over,
  };
}

/** A school with one DSL, a mailer that fails while `down` and counts what each pass reads. */
function world(options: { pageSize?: number; lookbackMs?: number; clock?: { now(): Date } } = {}) {
  const clock = options.clock ?? { now: () => new Date(NOW) };
  const store = new MemoryAlertStore();
  store.schoolRows = [{ id: 'a', name: 'Hillside', timeZone: 'Europe/London' }];
  store.staff.set('a', [
    { userId: 'dsl', email: 'dsl@h.example', displayName: 'D', roles: ['dsl'], disabled: false },
  ]);
  const reads = { pages: 0, largestPage: 0, rules: 0, starts: [] as (string | null)[] };
  const candidates = store.urgentCandidates.bind(store);
  store.urgentCandidates = async (q) => {
    const page = await candidates(q);
    reads.pages += 1;
    reads.starts.push(q.after === null ? null : `${q.after.receivedAt}|${q.after.id}`);
    reads.largestPage = Math.max(reads.largestPage, page.length);
    return page;
  };
  const rule = store.rule.bind(store);
  store.rule = (schoolId) => {
    reads.rules += 1;
    return rule(schoolId);
  };
  const mail = { sent: [] as MailMessage[], attempts: 0, down: false };
  const dispatcher = new AlertDispatcher({
    store,
    mailer: {
      send: async (m) => {
        mail.attempts += 1;
        if (mail.down) throw new Error('relay down');
        mail.sent.push(m);
      },
    },
    webhook: { post: async () => undefined },
    audit: new AuditLog(new MemoryAuditChainStore(), clock),
    clock,
    publicUrl: 'https://k.example',
    ...options,
  });
  const alertedIds = () => mail.sent.map((m) => /captures\/([\w-]+)/.exec(m.text)?.[1]);
  return { dispatcher, store, mail, reads, alertedIds };
}

describe('alert dispatcher', () => {
  it('retries a failed send on the next tick and then sends once', async () => {
    const w = world();
    w.store.captures.push(capture('urgent', MINUTE, { category: 'cse', severity: 4 }));
    w.mail.down = true;
    expect(await w.dispatcher.dispatchUrgent()).toBe(0);
    w.mail.down = false;
    expect(await w.dispatcher.dispatchUrgent()).toBe(1);
    expect(await w.dispatcher.dispatchUrgent()).toBe(0);
    expect(w.mail.sent.map((m) => m.subject)).toEqual([
      'Kestrel: urgent cse capture (severity 4) at Hillside',
    ]);
  });

  it('finds every urgent capture behind 1,800 low ones in one tick, each once, never a dismissed one', async () => {
    const w = world();
    for (let i = 0; i < 1_800; i += 1)
      w.store.captures.push(
        capture(`low-${i}`, HOUR - 1_000 - i * 1_500, { category: 'gambling', severity: 2 }),
      );
    const urgent = Array.from({ length: 450 }, (_, i) =>
      capture(`urgent-${String(i).padStart(3, '0')}`, 14 * MINUTE - i * 1_000, {
        category: i % 2 === 0 ? 'cse' : 'bullying',
        severity: i % 2 === 0 ? 3 : 5,
      }),
    );
    w.store.captures.push(...urgent);
    w.store.captures.push(capture('dismissed', 2 * MINUTE, { status: 'dismissed' }));

    expect(await w.dispatcher.dispatchUrgent()).toBe(450);
    expect(w.alertedIds().sort()).toEqual(urgent.map((c) => c.id));
    // Low captures never reach the dispatcher; at most one page (200) is held at a time.
    expect(w.reads.largestPage).toBe(200);
    expect(w.reads.pages).toBe(3);
    expect(w.reads.rules).toBe(1);

    expect(await w.dispatcher.dispatchUrgent()).toBe(0);
    expect(w.mail.sent).toHaveLength(450);
    // Fully alerted captures are not read again.
    expect(w.reads.largestPage).toBe(200);
    expect(w.reads.pages).toBe(4);
    expect(
      await w.store.urgentCandidates({
        schoolId: 'a',
        rule: { categories: ['cse'], minSeverity: 5 },
        since: at(HOUR),
        after: null,
        limit: 10,
      }),
    ).toEqual([]);
  });

  it('starts each pass where the last one ended, less a minute, so a capture committed late is still seen', async () => {
    const w = world();
    w.store.captures.push(capture('old', 3 * HOUR));
    expect(await w.dispatcher.dispatchUrgent()).toBe(1);
    expect(w.reads.starts).toEqual([null]); // the first pass reads the whole look-back
    // Stamped 30 s ago but committed only after that pass had read past it.
    w.store.captures.push(capture('late', 30_000, { category: 'self-harm', severity: 3 }));
    expect(await w.dispatcher.dispatchUrgent()).toBe(1);
    expect(w.reads.starts).toEqual([null, `${at(MINUTE)}|`]);
    expect(w.alertedIds()).toEqual(['old', 'late']);
  });

  it('alerts a capture restored from dismissed after passes went by, within five minutes', async () => {
    let t = NOW;
    const w = world({ clock: { now: () => new Date(t) } });
    const pressedByMistake = capture('restored', 10_000, { status: 'dismissed' });
    w.store.captures.push(pressedByMistake);
    expect(await w.dispatcher.dispatchUrgent()).toBe(0);
    t += 2 * MINUTE;
    expect(await w.dispatcher.dispatchUrgent()).toBe(0);
    pressedByMistake.status = 'escalated'; // a second look, long after the passes moved on
    let sent = 0;
    for (let i = 0; i < 20 && sent === 0; i += 1) {
      t += 15_000;
      sent = await w.dispatcher.dispatchUrgent();
    }
    expect(sent).toBe(1);
    expect(t - NOW).toBeLessThanOrEqual(2 * MINUTE + 5 * MINUTE);
    expect(w.alertedIds()).toEqual(['restored']);
  });

  it('looks through the whole look-back again when the school widens its rule', async () => {
    const w = world();
    w.store.captures.push(capture('bully', 2 * HOUR, { category: 'bullying', severity: 3 }));
    expect(await w.dispatcher.dispatchUrgent()).toBe(0);
    expect(await w.dispatcher.dispatchUrgent()).toBe(0);
    await w.store.setRule('a', { categories: ['bullying'], minSeverity: 5, webhookUrl: null });
    expect(await w.dispatcher.dispatchUrgent()).toBe(1);
    expect(w.alertedIds()).toEqual(['bully']);
  });

  it('while mail is down tries each recipient once per tick, and sends everything once it is back', async () => {
    const w = world({ pageSize: 10 });
    for (let i = 0; i < 35; i += 1)
      w.store.captures.push(capture(`u-${String(i).padStart(2, '0')}`, 30 * MINUTE - i * 1_000));
    w.mail.down = true;
    expect(await w.dispatcher.dispatchUrgent()).toBe(0);
    expect(w.mail.attempts).toBe(1);
    expect(w.reads.pages).toBe(1);
    expect(await w.dispatcher.dispatchUrgent()).toBe(0);
    expect(w.mail.attempts).toBe(2);
    w.mail.down = false;
    expect(await w.dispatcher.dispatchUrgent()).toBe(35);
    expect(await w.dispatcher.dispatchUrgent()).toBe(0);
    expect(new Set(w.alertedIds()).size).toBe(35);
  });

  it('after an outage alerts urgent captures older than an hour, saying so, but not past the look-back', async () => {
    const w = world();
    w.store.captures.push(
      capture('three-hours', 3 * HOUR),
      capture('twenty-hours', 20 * HOUR, { category: 'self-harm', severity: 3 }),
      capture('two-days', 48 * HOUR),
      capture('fresh', MINUTE),
    );
    w.mail.down = true;
    await w.dispatcher.dispatchUrgent();
    w.mail.down = false;
    expect(await w.dispatcher.dispatchUrgent()).toBe(3);
    expect(w.alertedIds()).toEqual(['twenty-hours', 'three-hours', 'fresh']);
    const [twenty, three, fresh] = w.mail.sent.map((m) => m.text);
    expect(twenty).toContain('Captured: 22 Nov 2026, 13:59 (Europe/London)');
    expect(twenty).toContain('This alert is late: the capture reached Kestrel at 22 Nov 2026, 14:00');
    expect(three).toContain('Captured: 23 Nov 2026, 06:59 (Europe/London)');
    expect(three).toContain('This alert is late');
    expect(fresh).not.toContain('late');
  });

  it('keeps a capture until every recipient and the webhook have it, then sends no more', async () => {
    const w = world();
    w.store.staff.get('a')?.push({
      userId: 'dsl2',
      email: 'dsl2@h.example',
      displayName: 'E',
      roles: ['dsl'],
      disabled: false,
    });
    let hookDown = true;
    const hooks: string[] = [];
    const clock = { now: () => new Date(NOW) };
    const sent: string[] = [];
    let mailboxFull = true;
    const dispatcher = new AlertDispatcher({
      store: w.store,
      mailer: {
        send: async (m) => {
          if (m.to[0] === 'dsl2@h.example' && mailboxFull) throw new Error('mailbox full');
          sent.push(m.to[0] ?? '');
        },
      },
      webhook: {
        post: async (_url, body) => {
          if (hookDown) throw new Error('webhook down');
          hooks.push(String(body.captureId));
        },
      },
      audit: new AuditLog(new MemoryAuditChainStore(), clock),
      clock,
      publicUrl: 'https://k.example',
    });
    await w.store.setRule('a', {
      categories: ['cse'],
      minSeverity: 6,
      webhookUrl: 'https://hooks.example/k',
    });
    w.store.captures.push(
      capture('c1', MINUTE, { category: 'cse' }),
      capture('not-urgent', MINUTE, { category: 'suicide', severity: 5 }),
    );
    expect(await dispatcher.dispatchUrgent()).toBe(1);
    expect(sent).toEqual(['dsl@h.example']);
    expect(await dispatcher.dispatchUrgent()).toBe(0);
    expect(w.store.alerted.has('c1')).toBe(false);
    hookDown = false;
    mailboxFull = false;
    expect(await dispatcher.dispatchUrgent()).toBe(2);
    expect(sent).toEqual(['dsl@h.example', 'dsl2@h.example']);
    expect(hooks).toEqual(['c1']);
    expect(w.store.alerted.has('c1')).toBe(true);
    expect(await dispatcher.dispatchUrgent()).toBe(0);
  });

  it('coalesces overlapping ticks: one pass at a time, one follow-up pass for all calls, nothing twice', async () => {
    const w = world();
    w.store.captures.push(capture('first', 2 * MINUTE));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let passes = 0;
    let firstSettled = false;
    let overlapped = false;
    const schools = w.store.schools.bind(w.store);
    w.store.schools = async () => {
      passes += 1;
      if (passes > 1 && !firstSettled) overlapped = true;
      return schools();
    };
    const mark = w.store.markAlerted.bind(w.store);
    w.store.markAlerted = async (id: string) => {
      // The first pass stalls after its send, as a slow relay would.
      if (id === 'first') await gate;
      await mark(id);
    };
    const first = w.dispatcher.dispatchUrgent();
    void first.then(() => (firstSettled = true));
    const more = Array.from({ length: 20 }, () => w.dispatcher.dispatchUrgent());
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(passes).toBe(1);
    // Arrives after the first pass read its page: the follow-up pass must still alert it.
    w.store.captures.push(capture('second', MINUTE));
    release();
    expect(await first).toBe(1);
    expect(await Promise.all(more)).toEqual(Array.from({ length: 20 }, () => 1));
    expect(passes).toBe(2);
    expect(overlapped).toBe(false);
    expect(w.alertedIds()).toEqual(['first', 'second']);
    // Idle again: the next call starts a fresh pass at once.
    expect(await w.dispatcher.dispatchUrgent()).toBe(0);
    expect(passes).toBe(3);
  });

  it('runs digests on their own coalesced lane, one digest per person', async () => {
    const w = world();
    const [a, b] = await Promise.all([w.dispatcher.sendDigests(), w.dispatcher.sendDigests()]);
    expect(a + b).toBe(1);
    expect(w.mail.sent.map((m) => m.subject)).toEqual(['Kestrel daily digest for Hillside: 0 captures']);
  });
});
