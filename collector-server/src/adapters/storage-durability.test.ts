import { fstatSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WalSync } from './db/wal-sync.js';
import { type KyselyStorage, openStorage } from './storage.js';

// SQLite's `PRAGMA synchronous`: 1 is NORMAL.
const NORMAL = 1;

/** An fsync that records what it was asked to flush and finishes when the test says so. */
function controlledFsync() {
  const calls: { fd: number; done: () => void; fail: (err: Error) => void }[] = [];
  const fsync = (fd: number) =>
    new Promise<void>((done, fail) => {
      calls.push({ fd, done, fail });
    });
  return { calls, fsync };
}

function nth<T>(items: T[], i: number): T {
  const item = items[i];
  if (item === undefined) throw new Error(`no item ${i}`);
  return item;
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('SQLite durable writes', () => {
  let dir: string;
  let file: string;
  let storage: KyselyStorage;
  let flushes: ReturnType<typeof controlledFsync>;
  let log: string[];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kestrel-durably-'));
    file = join(dir, 'kestrel.db');
    flushes = controlledFsync();
    log = [];
    storage = await openStorage(
      { kind: 'sqlite', file },
      {
        walSync: {
          fsync: (fd) => {
            log.push('fsync');
            return flushes.fsync(fd);
          },
        },
      },
    );
  });

  afterEach(async () => {
    for (const call of flushes.calls) call.done();
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const level = async () =>
    Number((await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(storage.db)).rows[0]?.synchronous);

  it('answer only after the write-ahead log holding the commit is flushed to disk', async () => {
    let answered = false;
    const write = storage
      .durably(async () => {
        const schools = await storage.schools.list();
        log.push('commit');
        return schools.length;
      })
      .then((n) => {
        answered = true;
        return n;
      });
    while (flushes.calls.length === 0) await tick();
    expect(log).toEqual(['commit', 'fsync']);
    // The descriptor flushed is the database's own log file.
    expect(fstatSync(nth(flushes.calls, 0).fd).ino).toBe(statSync(`${file}-wal`).ino);
    await tick();
    expect(answered).toBe(false);
    nth(flushes.calls, 0).done();
    expect(await write).toBe(0);
  });

  it('never slow every commit down: the level stays NORMAL throughout', async () => {
    const seen = storage.durably(async () => level());
    while (flushes.calls.length === 0) await tick();
    nth(flushes.calls, 0).done();
    expect(await seen).toBe(NORMAL);
    expect(await level()).toBe(NORMAL);
  });

  it('fail the write when the flush fails, so the agent keeps its copy and retries', async () => {
    const write = storage.durably(async () => 'stored');
    while (flushes.calls.length === 0) await tick();
    nth(flushes.calls, 0).fail(new Error('EIO'));
    await expect(write).rejects.toThrow('EIO');
    // The next durable write flushes again rather than trusting the failed one.
    const again = storage.durably(async () => 'stored again');
    while (flushes.calls.length < 2) await tick();
    nth(flushes.calls, 1).done();
    expect(await again).toBe('stored again');
  });

  it('do not flush when the write itself fails', async () => {
    await expect(
      storage.durably(async () => {
        throw new Error('insert refused');
      }),
    ).rejects.toThrow('insert refused');
    expect(flushes.calls).toHaveLength(0);
  });
});

describe('WalSync group commit', () => {
  let dir: string;
  let wal: string;
  let storage: KyselyStorage;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kestrel-walsync-'));
    // A real database in WAL mode, so the log file exists as it does behind the collector.
    storage = await openStorage({ kind: 'sqlite', file: join(dir, 'kestrel.db') });
    wal = join(dir, 'kestrel.db-wal');
  });

  afterEach(async () => {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('share one flush among callers waiting together, and start a fresh one for late arrivals', async () => {
    const flushes = controlledFsync();
    const sync = new WalSync(wal, { fsync: flushes.fsync });
    const first = sync.sync();
    while (flushes.calls.length === 0) await tick();
    // These commits came after the first flush began: it cannot count for them.
    const late = Array.from({ length: 10 }, () => sync.sync());
    let lateDone = 0;
    for (const p of late) void p.then(() => lateDone++);
    nth(flushes.calls, 0).done();
    await first;
    await tick();
    expect(lateDone).toBe(0);
    while (flushes.calls.length < 2) await tick();
    nth(flushes.calls, 1).done();
    await Promise.all(late);
    // Eleven callers, two flushes.
    expect(flushes.calls).toHaveLength(2);
    await sync.close();
  });

  it('report an unopenable log as an error rather than pretending to be durable', async () => {
    const sync = new WalSync(join(dir, 'missing-wal'));
    await expect(sync.sync()).rejects.toThrow(/ENOENT/);
    await sync.close();
  });
});
