import type { Clock, TimerId } from '../ports/clock.js';

export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }

  utcOffsetMinutes(epochMs: number): number {
    // getTimezoneOffset is UTC minus local; the ISO offset is the other way round.
    return -new Date(epochMs).getTimezoneOffset();
  }

  setTimeout(callback: () => void, ms: number): TimerId {
    return setTimeout(callback, ms);
  }

  clearTimeout(id: TimerId): void {
    clearTimeout(id as ReturnType<typeof setTimeout>);
  }
}
