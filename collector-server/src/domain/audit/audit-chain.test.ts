import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, verifyChain } from './audit-chain.js';
import { AuditLog } from './audit-log.js';
import { MemoryAuditChainStore } from './memory-audit-chain-store.js';
import { canonicalJson } from './canonical-json.js';

function nth<T>(list: T[], i: number): T {
  const v = list[i];
  if (v === undefined) throw new Error(`no element ${i}`);
  return v;
}

function fixedClock(start = Date.parse('2026-11-23T09:00:00Z')) {
  let t = start;
  return { now: () => new Date((t += 1000)) };
}

async function logOf(n: number) {
  const store = new MemoryAuditChainStore();
  const log = new AuditLog(store, fixedClock());
  for (let i = 0; i < n; i += 1) {
    await log.record({
      action: 'capture.viewed',
      actorUserId: `user-${i % 2}`,
      targetType: 'capture',
      targetId: `cap-${i}`,
      schoolId: 'school-a',
      details: { index: i, reason: i === 3 ? 'illegal reveal' : undefined },
    });
  }
  return store;
}

describe('audit chain', () => {
  it('verifies an untouched log and links the first event to the genesis hash', async () => {
    const store = await logOf(6);
    expect(store.events[0]?.prevHash).toBe(GENESIS_HASH);
    const verdict = await verifyChain(store.events);
    expect(verdict).toMatchObject({ ok: true, checked: 6, headHash: store.events[5]?.hash });
  });

  it('detects an edited field at the edited event', async () => {
    const store = await logOf(6);
    store.events[2] = { ...nth(store.events, 2), actorUserId: 'someone-else' };
    expect(await verifyChain(store.events)).toMatchObject({
      ok: false,
      checked: 2,
      firstBreak: { seq: 3, reason: 'hash-mismatch' },
    });
  });

  it('detects an edit inside details', async () => {
    const store = await logOf(4);
    store.events[1] = { ...nth(store.events, 1), details: { index: 99 } };
    expect((await verifyChain(store.events)).firstBreak).toEqual({ seq: 2, reason: 'hash-mismatch' });
  });

  it('detects a deleted event at the event after it', async () => {
    const store = await logOf(6);
    store.events.splice(3, 1);
    expect((await verifyChain(store.events)).firstBreak).toEqual({ seq: 5, reason: 'link-mismatch' });
  });

  it('detects reordered events, even with their sequence numbers swapped to look tidy', async () => {
    const store = await logOf(6);
    const a = nth(store.events, 1);
    const b = nth(store.events, 2);
    store.events[1] = { ...b, seq: a.seq };
    store.events[2] = { ...a, seq: b.seq };
    expect((await verifyChain(store.events)).firstBreak).toEqual({ seq: 2, reason: 'link-mismatch' });
  });

  it('detects an event rewritten with a recomputed hash, at the event after it', async () => {
    const store = await logOf(5);
    const { computeEventHash } = await import('./audit-chain.js');
    const forged = { ...nth(store.events, 1), action: 'nothing.happened' };
    forged.hash = computeEventHash(forged, forged.prevHash ?? '');
    store.events[1] = forged;
    expect((await verifyChain(store.events)).firstBreak).toEqual({ seq: 3, reason: 'link-mismatch' });
  });

  it('detects an event written around the chain', async () => {
    const store = await logOf(3);
    store.events.push({ ...nth(store.events, 2), seq: 4, prevHash: null, hash: null });
    expect((await verifyChain(store.events)).firstBreak).toEqual({ seq: 4, reason: 'unhashed' });
  });

  it('keeps the chain linear when many appends race', async () => {
    const store = new MemoryAuditChainStore();
    const log = new AuditLog(store, fixedClock());
    await Promise.all(
      Array.from({ length: 25 }, (_, i) => log.record({ action: 'session.created', details: { i } })),
    );
    expect(await verifyChain(store.events)).toMatchObject({ ok: true, checked: 25 });
  });

  it('serialises keys canonically', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: undefined }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"z":1}]},"b":1}',
    );
  });
});
