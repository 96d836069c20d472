import { afterEach, describe, expect, it } from 'vitest';
import { monthBounds, periodAt, periodBefore, previousPeriod } from './school-month.js';

const LONDON = 'Europe/London';
const machineTz = process.env['TZ'];

describe('school months', () => {
  afterEach(() => {
    if (machineTz === undefined) delete process.env['TZ'];
    else process.env['TZ'] = machineTz;
  });

  it('starts a summer month at midnight BST, 23:00 UTC the day before', () => {
    expect(monthBounds('2026-04', LONDON)).toEqual({
      from: '2026-03-31T23:00:00.000Z',
      to: '2026-04-30T23:00:00.000Z',
    });
  });

  it('gives a month across a clock change its two different offsets', () => {
    // BST begins on 29 March 2026 and ends on 25 October 2026.
    expect(monthBounds('2026-03', LONDON)).toEqual({
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-03-31T23:00:00.000Z',
    });
    expect(monthBounds('2026-10', LONDON)).toEqual({
      from: '2026-09-30T23:00:00.000Z',
      to: '2026-11-01T00:00:00.000Z',
    });
  });

  it('puts 23:30 UTC on 31 March into April at a school in London, and 22:59 UTC into March', () => {
    expect(periodAt(new Date('2026-03-31T23:30:00Z'), LONDON)).toBe('2026-04');
    expect(periodAt(new Date('2026-03-31T22:59:59Z'), LONDON)).toBe('2026-03');
    expect(periodAt(new Date('2026-03-31T23:30:00Z'), 'UTC')).toBe('2026-03');
  });

  it('does not depend on the machine’s time zone', () => {
    for (const tz of ['Pacific/Kiritimati', 'America/Los_Angeles', 'UTC']) {
      process.env['TZ'] = tz;
      expect(monthBounds('2026-04', LONDON).from).toBe('2026-03-31T23:00:00.000Z');
      expect(previousPeriod(new Date('2026-03-31T23:30:00Z'), LONDON)).toBe('2026-03');
    }
  });

  it('names the month that has ended at the school', () => {
    expect(previousPeriod(new Date('2026-03-31T23:30:00Z'), LONDON)).toBe('2026-03');
    expect(previousPeriod(new Date('2026-03-31T22:30:00Z'), LONDON)).toBe('2026-02');
    expect(previousPeriod(new Date('2026-01-01T00:30:00Z'), 'America/New_York')).toBe('2025-11');
    expect(periodBefore('2026-01')).toBe('2025-12');
    expect(() => monthBounds('2026-13', LONDON)).toThrow(/not a month/);
  });
});
