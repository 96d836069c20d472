/**
 * Calendar months in a school's own time zone (`Europe/London`): a capture at 23:30 UTC on
 * 31 March during British Summer Time happened on 1 April at the school, and belongs to April.
 * Only `Intl` is used, so the answer never depends on the machine's TZ.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClock(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The school's wall-clock reading at an instant, as if it were UTC (milliseconds). */
function wallTime(at: number, timeZone: string): number {
  const parts = wallClock(timeZone).formatToParts(new Date(at));
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour') % 24,
    part('minute'),
    part('second'),
  );
}

/** The instant at which the school's clocks read midnight starting `year`-`month0+1`-01. */
function startOfMonth(year: number, month0: number, timeZone: string): number {
  const wall = Date.UTC(year, month0, 1);
  // Two passes: the offset at a first guess, then at the instant that guess gives.
  const guess = wall - (wallTime(wall, timeZone) - wall);
  return wall - (wallTime(guess, timeZone) - guess);
}

function parsePeriod(period: string): { year: number; month0: number } {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(period);
  if (m === null) throw new Error(`not a month: ${period}`);
  return { year: Number(m[1]), month0: Number(m[2]) - 1 };
}

const periodOf = (year: number, month0: number) => {
  const d = new Date(Date.UTC(year, month0, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
};

/** `2026-04` in `Europe/London` → from 2026-03-31T23:00Z (inclusive) to 2026-04-30T23:00Z. */
export function monthBounds(period: string, timeZone: string): { from: string; to: string } {
  const { year, month0 } = parsePeriod(period);
  return {
    from: new Date(startOfMonth(year, month0, timeZone)).toISOString(),
    to: new Date(startOfMonth(year, month0 + 1, timeZone)).toISOString(),
  };
}

/** The month the school's calendar shows at an instant. */
export function periodAt(at: Date, timeZone: string): string {
  const wall = new Date(wallTime(at.getTime(), timeZone));
  return periodOf(wall.getUTCFullYear(), wall.getUTCMonth());
}

/** The month before `2026-01` is `2025-12`. */
export function periodBefore(period: string): string {
  const { year, month0 } = parsePeriod(period);
  return periodOf(year, month0 - 1);
}

/** The last month that has ended at the school: the one its monthly report is for. */
export function previousPeriod(now: Date, timeZone: string): string {
  return periodBefore(periodAt(now, timeZone));
}
