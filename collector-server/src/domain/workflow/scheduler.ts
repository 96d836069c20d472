export interface Job {
  name: string;
  everyMs: number;
  run(): Promise<unknown>;
}

export interface SchedulerTimers {
  setInterval(fn: () => void, ms: number): { unref?(): void };
  clearInterval(handle: unknown): void;
}

/**
 * Runs each job on its own interval, never two runs of the same job at once, and waits for runs in
 * flight on stop (so shutdown does not cut a purge or a send in half). A failing run is reported
 * and retried at the next interval. Time-dependent decisions live in the jobs, on the injected clock.
 */
export class Scheduler {
  private readonly running = new Map<string, Promise<unknown>>();
  private readonly handles: unknown[] = [];
  private stopped = false;

  constructor(
    private readonly jobs: readonly Job[],
    private readonly onError: (job: string, err: unknown) => void,
    private readonly timers: SchedulerTimers = globalThis,
  ) {}

  start(): void {
    for (const job of this.jobs) {
      const handle = this.timers.setInterval(() => void this.runNow(job.name), job.everyMs);
      handle.unref?.();
      this.handles.push(handle);
    }
  }

  /** Runs a job now unless it is already running (then answers that run). */
  runNow(name: string): Promise<unknown> {
    const job = this.jobs.find((j) => j.name === name);
    if (job === undefined) return Promise.reject(new Error(`no job ${name}`));
    const current = this.running.get(name);
    if (current !== undefined) return current;
    if (this.stopped) return Promise.resolve(undefined);
    const run = job
      .run()
      .catch((err: unknown) => this.onError(name, err))
      .finally(() => this.running.delete(name));
    this.running.set(name, run);
    return run;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const h of this.handles) this.timers.clearInterval(h);
    await Promise.all(this.running.values());
  }
}
