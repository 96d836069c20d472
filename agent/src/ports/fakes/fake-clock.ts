import type { Clock, TimerId } from '../clock.js';

interface Timer {
  id: number;
  at: number;
  callback: () => void;
}

/** Time that only moves when the test says so. */
export class FakeClock implements Clock {
  private timers: Timer[] = [];
  private nextId = 1;

  constructor(
    private current = Date.parse('2026-06-15T09:00:00Z'),
    private readonly offsetMinutes = 60,
  ) {}

  now(): number {
    return this.current;
  }

  utcOffsetMinutes(): number {
    return this.offsetMinutes;
  }

  setTimeout(callback: () => void, ms: number): TimerId {
    const timer = { id: this.nextId++, at: this.current + Math.max(0, ms), callback };
    this.timers.push(timer);
    return timer.id;
  }

  clearTimeout(id: TimerId): void {
    this.timers = this.timers.filter((t) => t.id !== id);
  }

  get pending(): number {
    return this.timers.length;
  }

  /** Moves time forward, firing due timers in order and letting their promises settle. */
  async advance(ms: number): Promise<void> {
    const end = this.current + ms;
    for (;;) {
      await settle();
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.current = Math.max(this.current, due.at);
      due.callback();
    }
    this.current = end;
    await settle();
  }
}

/** Lets pending promise chains (fake I/O is all promises) run to completion. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
