import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { QueuedCapture } from '../ports/queue-store.js';
import { FakeCollector } from '../ports/fakes/index.js';
import { FsQueueStore } from './fs-queue-store.js';
import { nodeQueueFileOps, type QueueFileOps } from './queue-file-ops.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'kestrel-queue-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

let n = 0;
function capture(severity: 1 | 2 | 3 | 4 | 5 = 5, withShot = true): QueuedCapture {
  n++;
  const metadata = {
    captureId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    capturedAt: '2026-06-15T10:00:00.000+01:00',
    machine: 'LAB-PC-07',
    user: 'pupil.one',
    source: 'typed' as const,
    category: 'suicide' as const,
    severity,
    term: 'kill myself',
    context: 'i want to kill myself',
    windowTitle: 'Homework notes',
    application: 'Notes',
  };
  if (!withShot) return { metadata };
  const bytes = new Uint8Array(5000).map((_, i) => (i * 7 + n) & 0xff);
  return { metadata, screenshot: { bytes, mediaType: 'image/jpeg', width: 1920, height: 1080 } };
}

class Crash extends Error {}

/** Real file operations that die at step `crashAt`, leaving a half-written file if it was a write. */
function crashingOps(crashAt: number, counter: { steps: number }): QueueFileOps {
  const step = () => {
    // Once dead, every later step fails too (a swallowed error must not revive the process).
    counter.steps++;
    if (counter.steps >= crashAt) throw new Crash(`crash at step ${crashAt}`);
  };
  return {
    ...nodeQueueFileOps,
    async create(path, data) {
      try {
        step();
      } catch (e) {
        await nodeQueueFileOps.create(path, data.subarray(0, Math.floor(data.length / 2)));
        throw e;
      }
      await nodeQueueFileOps.create(path, data);
    },
    async fsync(path) {
      step();
      await nodeQueueFileOps.fsync(path);
    },
    async rename(from, to) {
      step();
      await nodeQueueFileOps.rename(from, to);
    },
    async fsyncDir(dir) {
      step();
      await nodeQueueFileOps.fsyncDir(dir);
    },
    async unlink(path) {
      step();
      await nodeQueueFileOps.unlink(path);
    },
  };
}

async function deliverAll(
  store: FsQueueStore,
  collector: FakeCollector,
  token: string,
  step: () => void = () => {},
) {
  for (const ref of await store.list()) {
    const c = await store.read(ref.captureId);
    if (!c) continue;
    step();
    const answer = await collector.uploadCapture(token, c.metadata, c.screenshot);
    step();
    if (answer.ok) await store.remove(ref.captureId);
  }
}

describe('durable queue', () => {
  it('loses nothing, duplicates nothing and sends nothing torn, whatever step a crash falls on', async () => {
    const originals = [capture(3), capture(5), capture(1, false)];
    let crashes = 0;
    for (let crashAt = 1; ; crashAt++) {
      const dir = tempDir();
      const collector = new FakeCollector();
      const token = (
        await collector.enrol({ enrolmentToken: 'enrol-me', hostname: 'h', os: 'o', agentVersion: '1' })
      ).ok
        ? 'device-token-1'
        : '';
      const counter = { steps: 0 };
      const acknowledged = new Set<string>();
      const store = new FsQueueStore({ dir, now: () => 1_000_000, ops: crashingOps(crashAt, counter) });
      try {
        await store.open();
        for (const c of originals) {
          await store.enqueue(c);
          acknowledged.add(c.metadata.captureId);
        }
        await deliverAll(store, collector, token, () => {
          counter.steps++;
          if (counter.steps >= crashAt) throw new Crash('crash during upload');
        });
      } catch (e) {
        if (!(e instanceof Crash)) throw e;
      }
      const crashed = counter.steps >= crashAt;
      // Restart with healthy operations and finish the job.
      const restarted = new FsQueueStore({ dir, now: () => 1_000_000 });
      await restarted.open();
      await deliverAll(restarted, collector, token);

      for (const c of originals) {
        const got = collector.received.get(c.metadata.captureId);
        if (acknowledged.has(c.metadata.captureId)) expect(got, `crash at ${crashAt}`).toBeDefined();
        if (got) {
          expect(got.metadata).toEqual(c.metadata);
          expect(Buffer.from(got.screenshot?.bytes ?? [])).toEqual(Buffer.from(c.screenshot?.bytes ?? []));
        }
      }
      expect(restarted.stats()).toMatchObject({ length: 0, quarantined: 0 });
      expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
      if (!crashed) break;
      crashes++;
    }
    // Every write, sync, rename, upload and delete was a crash point.
    expect(crashes).toBeGreaterThan(20);
  });

  it('quarantines a corrupt entry, counts it and never returns it', async () => {
    const dir = tempDir();
    const store = new FsQueueStore({ dir, now: () => 1_000_000 });
    await store.open();
    const good = capture(4);
    const bad = capture(4);
    await store.enqueue(good);
    await store.enqueue(bad);
    const badFile = readdirSync(dir).find((f) => f.endsWith(`${bad.metadata.captureId}.kq`)) ?? '';
    const bytes = readFileSync(join(dir, badFile));
    bytes[bytes.length - 100] = (bytes[bytes.length - 100] ?? 0) ^ 0xff;
    writeFileSync(join(dir, badFile), bytes);
    writeFileSync(join(dir, '000000000000001-5-not-an-entry.kq'), 'junk');

    const reopened = new FsQueueStore({ dir, now: () => 1_000_000 });
    expect(await reopened.open()).toMatchObject({ length: 2, quarantined: 1 });
    expect(await reopened.read(bad.metadata.captureId)).toBeUndefined();
    expect((await reopened.read(good.metadata.captureId))?.metadata).toEqual(good.metadata);
    expect(reopened.stats()).toMatchObject({ length: 1, quarantined: 2 });
    expect(readdirSync(join(dir, 'quarantine'))).toHaveLength(2);
    const again = new FsQueueStore({ dir, now: () => 1_000_000 });
    expect(await again.open()).toMatchObject({ length: 1, quarantined: 2 });
  });

  it('evicts by age first, then lowest severity and oldest, and remembers how many', async () => {
    const dir = tempDir();
    let now = 1_000_000;
    const opts = { dir, now: () => now, maxEntries: 3, maxAgeMs: 3_600_000 };
    const store = new FsQueueStore(opts);
    await store.open();
    const [a3, b1, c5, d1, e2, f1] = [capture(3), capture(1), capture(5), capture(1), capture(2), capture(1)];
    for (const c of [a3, b1, c5]) {
      now += 1000;
      await store.enqueue(c);
    }
    now += 1000;
    await store.enqueue(d1); // full: b1 goes (lowest severity, oldest)
    const ids = async () => (await store.list()).map((r) => r.captureId);
    expect(await ids()).toEqual([c5, a3, d1].map((c) => c.metadata.captureId));
    await store.enqueue(e2); // d1 goes
    expect(await ids()).toEqual([c5, a3, e2].map((c) => c.metadata.captureId));
    await store.enqueue(f1); // the newcomer is the least severe: it is the one dropped
    expect(await ids()).toEqual([c5, a3, e2].map((c) => c.metadata.captureId));
    expect(store.stats().evictions).toBe(3);

    now += 2 * 3_600_000; // all three are now too old
    const g4 = capture(4);
    await store.enqueue(g4);
    expect(await ids()).toEqual([g4.metadata.captureId]);
    const reopened = new FsQueueStore(opts);
    expect(await reopened.open()).toMatchObject({ length: 1, evictions: 6 });
  });

  it('is bounded by bytes too', async () => {
    const dir = tempDir();
    const store = new FsQueueStore({ dir, now: () => 1_000_000, maxBytes: 12_000 });
    await store.open();
    for (let i = 0; i < 5; i++) await store.enqueue(capture(3));
    expect(store.stats().length).toBe(2);
    expect(store.stats().bytes).toBeLessThanOrEqual(12_000);
  });
});
