import type { Clock, TimerId } from '../ports/clock.js';

/**
 * Runs `task` after `firstDelayMs`, then again after whatever delay each run returns. Runs never
 * overlap; a run that throws is reported and the task carries on after `fallbackDelayMs`.
 */
export class PeriodicTask {
  private timer: TimerId | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;

  constructor(
    private readonly clock: Clock,
    private readonly task: () => Promise<number>,
    private readonly onError: (error: unknown) => void,
    private readonly fallbackDelayMs: number,
  ) {}

  start(firstDelayMs: number): void {
    this.stopped = false;
    this.schedule(firstDelayMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.running = this.run().finally(() => (this.running = undefined));
    }, delayMs);
  }

  private async run(): Promise<void> {
    let next = this.fallbackDelayMs;
    try {
      next = await this.task();
    } catch (error) {
      this.onError(error);
    }
    if (!this.stopped) this.schedule(next);
  }
}
