/**
 * Runs a task at most once at a time. A call while it runs does not start a second, concurrent run
 * nor queue one per call: every such call shares one follow-up run, started when the current one
 * settles (so what arrived meanwhile is still seen). Slow runs therefore never pile up behind each
 * other, however often it is called (a timer, or commits waiting for one fsync).
 */
export class CoalescedRun<T> {
  private current: Promise<T> | undefined;
  private next: Promise<T> | undefined;

  constructor(private readonly task: () => Promise<T>) {}

  run(): Promise<T> {
    if (this.next !== undefined) return this.next;
    if (this.current === undefined) return this.start();
    const next = this.current
      .catch(() => undefined)
      .then(() => {
        this.next = undefined;
        return this.start();
      });
    this.next = next;
    return next;
  }

  /** Resolves once no run is in flight or due (whether they succeeded or not). */
  async idle(): Promise<void> {
    await Promise.allSettled([this.current, this.next]);
  }

  /** Whether a run is in flight (for tests and metrics). */
  get busy(): boolean {
    return this.current !== undefined;
  }

  private start(): Promise<T> {
    const run = this.task();
    this.current = run;
    run.then(
      () => this.settled(run),
      () => this.settled(run),
    );
    return run;
  }

  private settled(run: Promise<T>): void {
    if (this.current === run) this.current = undefined;
  }
}
