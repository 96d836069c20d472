import { describe, expect, it } from 'vitest';
import { Scheduler } from './scheduler.js';

describe('scheduler', () => {
  it('never overlaps runs of one job, reports failures, and waits for runs in flight on stop', async () => {
    const ticks: (() => void)[] = [];
    const timers = { setInterval: (fn: () => void) => (ticks.push(fn), {}), clearInterval: () => undefined };
    let release: () => void = () => undefined;
    let runs = 0;
    const errors: string[] = [];
    const s = new Scheduler(
      [
        { name: 'slow', everyMs: 1000, run: () => ((runs += 1), new Promise<void>((r) => (release = r))) },
        { name: 'broken', everyMs: 1000, run: () => Promise.reject(new Error('boom')) },
      ],
      (job, err) => errors.push(`${job}: ${(err as Error).message}`),
      timers,
    );
    s.start();
    ticks[0]?.();
    ticks[0]?.();
    expect(runs).toBe(1);
    await s.runNow('broken');
    expect(errors).toEqual(['broken: boom']);
    let stopped = false;
    const stopping = s.stop().then(() => (stopped = true));
    await Promise.resolve();
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(stopped).toBe(true);
  });
});
