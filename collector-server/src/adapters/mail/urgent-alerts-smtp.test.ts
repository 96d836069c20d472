import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../domain/audit/audit-chain.js';
import { AuditLog } from '../../domain/audit/audit-log.js';
import { MemoryAuditChainStore } from '../../domain/audit/memory-audit-chain-store.js';
import { AlertDispatcher } from '../../domain/alerts/alert-dispatcher.js';
import { MemoryAlertStore } from '../../domain/alerts/memory-alert-store.js';
import { createHttpWebhook } from './http-webhook.js';
import { createSmtpMailer } from './smtp-mailer.js';
import { startTestSmtpServer } from './test-smtp-server.test-support.js';

// The phrase a pupil typed: it must never leave the server in an alert.
const PHRASE = 'i want to kill myself tonight';

let smtp: Awaited<ReturnType<typeof startTestSmtpServer>>;
const hooks: unknown[] = [];
const hookServer = createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString('utf8')));
  req.on('end', () => {
    hooks.push(JSON.parse(body));
    res.writeHead(204).end();
  });
});

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  await new Promise<void>((resolve) => hookServer.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await smtp.close();
  await new Promise<void>((resolve) => hookServer.close(() => resolve()));
});

function world() {
  let t = Date.parse('2026-11-23T10:00:00Z');
  const clock = { now: () => new Date(t), advance: (ms: number) => (t += ms) };
  const store = new MemoryAlertStore();
  store.schoolRows = [
    { id: 'a', name: 'Hillside Primary', timeZone: 'Europe/London' },
    { id: 'b', name: 'Other School', timeZone: 'Europe/London' },
  ];
  store.staff.set('a', [
    { userId: 'dsl1', email: 'dsl1@hillside.example', displayName: 'D One', roles: ['dsl'], disabled: false },
    { userId: 'dsl2', email: 'dsl2@hillside.example', displayName: 'D Two', roles: ['dsl'], disabled: false },
    {
      userId: 'mod',
      email: 'mod@hillside.example',
      displayName: 'Mod',
      roles: ['moderator'],
      disabled: false,
    },
    {
      userId: 'gov',
      email: 'gov@hillside.example',
      displayName: 'Gov',
      roles: ['governor'],
      disabled: false,
    },
    { userId: 'old', email: 'old@hillside.example', displayName: 'Left', roles: ['dsl'], disabled: true },
  ]);
  store.staff.set('b', [
    { userId: 'dslb', email: 'dsl@other.example', displayName: 'B', roles: ['dsl'], disabled: false },
  ]);
  const auditStore = new MemoryAuditChainStore();
  const mailer = createSmtpMailer(smtp.url, 'Kestrel <alerts@kestrel.example>');
  const dispatcher = new AlertDispatcher({
    store,
    mailer,
    // The test's webhook listens on loopback over plain HTTP, which production refuses.
    webhook: createHttpWebhook({ allowInsecure: true }),
    audit: new AuditLog(auditStore, clock),
    clock,
    publicUrl: 'https://kestrel.example/',
  });
  return { clock, store, auditStore, dispatcher, mailer };
}

const capture = (id: string, over: Partial<MemoryAlertStore['captures'][number]> = {}) => ({
  id,
  schoolId: 'a',
  category: 'suicide' as const,
  severity: 5 as const,
  capturedAt: '2026-11-23T09:59:30.000Z',
  receivedAt: '2026-11-23T09:59:40.000Z',
  status: 'unreviewed',
  // Deliberately carried along to prove the dispatcher never copies it into a message.
  term: PHRASE,
  ...over,
});

describe('urgent alerts over real SMTP', () => {
  it("e-mails each of the school's DSLs with a link, never the phrase, once", async () => {
    smtp.received.length = 0;
    const w = world();
    w.store.captures.push(capture('cap-1'), capture('cap-2', { category: 'gambling', severity: 2 }));
    expect(await w.dispatcher.dispatchUrgent()).toBe(2);
    expect(smtp.received.map((m) => m.to).sort()).toEqual([
      ['dsl1@hillside.example'],
      ['dsl2@hillside.example'],
    ]);
    for (const mail of smtp.received) {
      expect(mail.subject).toBe('Kestrel: urgent suicide capture (severity 5) at Hillside Primary');
      expect(mail.body).toContain('https://kestrel.example/#/captures/cap-1');
      expect(mail.body).toContain('23 Nov 2026, 09:59');
      expect(mail.raw).not.toContain('kill myself');
      expect(mail.body).not.toContain('kill myself');
      expect(mail.raw).not.toMatch(/Content-Type: image|attachment/i);
    }
    // The next tick sends nothing new.
    expect(await w.dispatcher.dispatchUrgent()).toBe(0);
    expect(smtp.received).toHaveLength(2);
    expect(w.auditStore.events.filter((e) => e.action === 'alert.urgent.sent')).toHaveLength(2);
    expect((await verifyChain(w.auditStore.events)).ok).toBe(true);
    w.mailer.close();
  });

  it('sends a burst of urgent alerts over one reused connection, not one connection a message', async () => {
    smtp.received.length = 0;
    const before = smtp.connections.count;
    const w = world();
    for (let i = 0; i < 20; i += 1) w.store.captures.push(capture(`burst-${String(i).padStart(2, '0')}`));
    expect(await w.dispatcher.dispatchUrgent()).toBe(40); // two DSLs each
    expect(smtp.received).toHaveLength(40);
    expect(smtp.connections.count - before).toBe(1);
    w.mailer.close();
  });

  it('honours preferences and school rules, and calls the webhook with ids and links only', async () => {
    smtp.received.length = 0;
    hooks.length = 0;
    const w = world();
    const { port } = hookServer.address() as AddressInfo;
    await w.store.setPreferences('dsl2', { urgentEmail: false, digest: 'off' });
    await w.store.setPreferences('mod', { urgentEmail: true, digest: 'off' });
    await w.store.setPreferences('gov', { urgentEmail: true, digest: 'daily' });
    await w.store.setRule('a', {
      categories: ['bullying'],
      minSeverity: 6,
      webhookUrl: `http://127.0.0.1:${port}/hook`,
    });
    w.store.captures.push(capture('cap-sui'), capture('cap-bully', { category: 'bullying', severity: 3 }));
    await w.dispatcher.dispatchUrgent();
    expect(smtp.received.map((m) => m.to[0]).sort()).toEqual([
      'dsl1@hillside.example',
      'mod@hillside.example',
    ]);
    expect(smtp.received.every((m) => m.body.includes('/#/captures/cap-bully'))).toBe(true);
    expect(hooks).toEqual([
      {
        event: 'capture.urgent',
        captureId: 'cap-bully',
        schoolId: 'a',
        capturedAt: '2026-11-23T09:59:30.000Z',
        link: 'https://kestrel.example/#/captures/cap-bully',
      },
    ]);
    w.mailer.close();
  });

  it('sends a daily digest of counts to those who want one, once a day', async () => {
    smtp.received.length = 0;
    const w = world();
    w.store.captures.push(
      capture('c1', { category: 'gambling', severity: 2 }),
      capture('c2', { category: 'gambling', severity: 2 }),
      capture('c3', { category: 'drugs', severity: 3 }),
    );
    expect(await w.dispatcher.sendDigests()).toBe(3);
    const toDsl1 = smtp.received.find((m) => m.to[0] === 'dsl1@hillside.example');
    expect(toDsl1?.subject).toBe('Kestrel daily digest for Hillside Primary: 3 captures');
    expect(toDsl1?.body).toContain('gambling: 2');
    expect(toDsl1?.body).not.toContain(PHRASE);
    expect(smtp.received.some((m) => m.to[0] === 'gov@hillside.example')).toBe(false);
    w.clock.advance(3 * 3_600_000);
    expect(await w.dispatcher.sendDigests()).toBe(0);
    w.clock.advance(22 * 3_600_000);
    expect(await w.dispatcher.sendDigests()).toBe(3);
    w.mailer.close();
  });
});
