import { describe, expect, it } from 'vitest';
import { CoalescedRun } from './coalesced-run.js';

function gatedTask() {
  const gates: (() => void)[] = [];
  let started = 0;
  let active = 0;
  let most = 0;
  const runner = new CoalescedRun(async () => {
    started += 1;
    active += 1;
    most = Math.max(most, active);
    const n = started;
    await new Promise<void>((resolve) => gates.push(resolve));
    active -= 1;
    if (n === 1 && failFirst) throw new Error('first run failed');
    return n;
  });
  let failFirst = false;
  const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
  return {
    runner,
    gates,
    tick,
    failFirstRun: () => (failFirst = true),
    stats: () => ({ started, most }),
  };
}

describe('CoalescedRun', () => {
  it('never runs twice at once and folds every call made meanwhile into one follow-up', async () => {
    const t = gatedTask();
    const first = t.runner.run();
    const later = [t.runner.run(), t.runner.run(), t.runner.run()];
    expect(t.runner.busy).toBe(true);
    await t.tick();
    t.gates.shift()?.();
    expect(await first).toBe(1);
    await t.tick();
    expect(t.stats()).toEqual({ started: 2, most: 1 });
    // A call during the follow-up waits for a third run, not the one already going.
    const third = t.runner.run();
    t.gates.shift()?.();
    expect(await Promise.all(later)).toEqual([2, 2, 2]);
    await t.tick();
    t.gates.shift()?.();
    expect(await third).toBe(3);
    expect(t.stats()).toEqual({ started: 3, most: 1 });
    expect(t.runner.busy).toBe(false);
  });

  it('still runs the follow-up when the current run fails', async () => {
    const t = gatedTask();
    t.failFirstRun();
    const first = t.runner.run();
    const next = t.runner.run();
    await t.tick();
    t.gates.shift()?.();
    await expect(first).rejects.toThrow('first run failed');
    await t.tick();
    t.gates.shift()?.();
    expect(await next).toBe(2);
  });

  it('is idle only once the run in flight and the one due after it have settled', async () => {
    const t = gatedTask();
    t.failFirstRun();
    void t.runner.run().catch(() => undefined);
    void t.runner.run();
    let idle = false;
    const waiting = t.runner.idle().then(() => (idle = true));
    await t.tick();
    t.gates.shift()?.();
    await t.tick();
    expect(idle).toBe(false); // the follow-up is still running
    t.gates.shift()?.();
    await waiting;
    expect(t.runner.busy).toBe(false);
  });
});
