import { describe, expect, it } from 'vitest';
import { chooseGroupKey, GROUP_WINDOW_MS, normaliseTerm } from './grouping.js';

describe('grouping', () => {
  it('joins the nearest capture within the window', () => {
    const key = chooseGroupKey({ id: 'c9', capturedAtMs: 100_000 }, [
      { groupKey: 'far', capturedAtMs: 100_000 - GROUP_WINDOW_MS - 1 },
      { groupKey: 'near', capturedAtMs: 90_000 },
      { groupKey: 'nearer', capturedAtMs: 101_000 },
    ]);
    expect(key).toBe('nearer');
  });

  it('starts its own group when nothing is close', () => {
    expect(
      chooseGroupKey({ id: 'c1', capturedAtMs: 0 }, [{ groupKey: 'x', capturedAtMs: GROUP_WINDOW_MS + 1 }]),
    ).toBe('c1');
  });

  it('normalises case and spacing of terms', () => {
    expect(normaliseTerm('  Kill   Myself ')).toBe('kill myself');
  });
});
