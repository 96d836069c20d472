import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';
import { cleanText, contextAround, isoWithOffset } from './capture-record.js';

describe('capture record', () => {
  it('writes the local offset, not just Z', () => {
    const t = Date.parse('2026-06-15T09:00:00.123Z');
    expect(isoWithOffset(t, 60)).toBe('2026-06-15T10:00:00.123+01:00');
    expect(isoWithOffset(t, 0)).toBe('2026-06-15T09:00:00.123+00:00');
    expect(isoWithOffset(t, -330)).toBe('2026-06-15T03:30:00.123-05:30');
  });

  it('bounds the context on each side of the match', () => {
    const text = `${'a'.repeat(200)} kill myself ${'b'.repeat(200)}`;
    const match = { category: 'suicide', severity: 5, term: 'kill myself', start: 201, end: 212 } as const;
    const context = contextAround(text, match, 80);
    expect(context).toBe(`${'a'.repeat(79)} kill myself ${'b'.repeat(79)}`);
    expect(contextAround(text, match, 0)).toBe('kill myself');
  });

  it('makes untrusted text one bounded line without splitting a surrogate pair', () => {
    expect(cleanText('a\u0000b\nc\td', 100)).toBe('a b c d');
    expect(cleanText('ab😀', 3)).toBe('ab');
  });
});

describe('backoff', () => {
  it('grows exponentially with full jitter up to a ceiling', () => {
    const opts = { baseMs: 1000, maxMs: 60_000 };
    expect(backoffDelay(0, 0.999, opts)).toBe(999);
    expect(backoffDelay(3, 0.999, opts)).toBe(7992);
    expect(backoffDelay(20, 0.999, opts)).toBe(59_940);
    // Jitter spreads retries, but never to zero.
    expect(backoffDelay(5, 0, opts)).toBe(500);
    expect(backoffDelay(5, 0.5, opts)).toBe(16_000);
  });
});
