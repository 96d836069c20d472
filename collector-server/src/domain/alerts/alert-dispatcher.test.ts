import { describe, expect, it } from 'vitest';
import { AuditLog } from '../audit/audit-log.js';
import { MemoryAuditChainStore } from '../audit/memory-audit-chain-store.js';
import type { MailMessage } from './alert-ports.js';
import { AlertDispatcher } from './alert-dispatcher.js';
import { MemoryAlertStore } from './memory-alert-store.js';

function world(failFirst: number) {
  const clock = { now: () => new Date('2026-11-23T10:00:00Z') };
  const store = new MemoryAlertStore();
  store.schoolRows = [{ id: 'a', name: 'Hillside', timeZone: 'Europe/London' }];
  store.staff.set('a', [
    { userId: 'dsl', email: 'dsl@h.example', displayName: 'D', roles: ['dsl'], disabled: false },
  ]);
  store.captures.push(
    {
      id: 'urgent',
      schoolId: 'a',
      category: 'cse',
      severity: 4,
      capturedAt: '2026-11-23T09:59:00.000Z',
      receivedAt: '2026-11-23T09:59:05.000Z',
      status: 'unreviewed',
    },
    {
      id: 'dismissed',
      schoolId: 'a',
      category: 'suicide',
      severity: 5,
      capturedAt: '2026-11-23T09:58:00.000Z',
      receivedAt: '2026-11-23T09:58:05.000Z',
      status: 'dismissed',
    },
    {
      id: 'old',
      schoolId: 'a',
      category: 'suicide',
      severity: 5,
      capturedAt: '2026-11-23T07:00:00.000Z',
      receivedAt: '2026-11-23T07:00:05.000Z',
      status: 'unreviewed',
    },
  );
  const sent: MailMessage[] = [];
  let failures = failFirst;
  const dispatcher = new AlertDispatcher({
    store,
    mailer: {
      send: async (m) => {
        if (failures > 0) {
          failures -= 1;
          throw new Error('relay down');
        }
        sent.push(m);
      },
    },
    webhook: { post: async () => undefined },
    audit: new AuditLog(new MemoryAuditChainStore(), clock),
    clock,
    publicUrl: 'https://k.example',
  });
  return { dispatcher, sent };
}

describe('alert dispatcher', () => {
  it('retries a failed send on the next tick and then sends once', async () => {
    const { dispatcher, sent } = world(1);
    expect(await dispatcher.dispatchUrgent()).toBe(0);
    expect(await dispatcher.dispatchUrgent()).toBe(1);
    expect(await dispatcher.dispatchUrgent()).toBe(0);
    expect(sent.map((m) => m.subject)).toEqual(['Kestrel: urgent cse capture (severity 4) at Hillside']);
  });

  it('skips dismissed captures and those older than the look-back window', async () => {
    const { dispatcher, sent } = world(0);
    await dispatcher.dispatchUrgent();
    expect(sent.map((m) => m.text.match(/captures\/(\w+)/)?.[1])).toEqual(['urgent']);
  });
});
