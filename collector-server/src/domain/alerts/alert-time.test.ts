import { afterEach, describe, expect, it } from 'vitest';
import { formatWhen } from './alert-time.js';

const Real = Intl.DateTimeFormat;

describe('formatWhen', () => {
  afterEach(() => {
    Intl.DateTimeFormat = Real;
  });

  it('formats in the school’s zone and builds one formatter per zone, not one per call', () => {
    let made = 0;
    Intl.DateTimeFormat = class extends Real {
      constructor(...args: ConstructorParameters<typeof Real>) {
        super(...args);
        made += 1;
      }
    } as typeof Real;
    const times = Array.from({ length: 50 }, (_, i) => new Date(Date.UTC(2026, 6, 1, 9, i)).toISOString());
    const london = times.map((t) => formatWhen(t, 'Europe/London'));
    const utc = times.map((t) => formatWhen(t, 'UTC'));
    expect(london[0]).toBe('1 Jul 2026, 10:00');
    expect(utc[0]).toBe('1 Jul 2026, 09:00');
    expect(new Set(london).size).toBe(50);
    expect(made).toBe(2);
  });
});
