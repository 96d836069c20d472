import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type KyselyStorage, openStorage } from './storage.js';

// SQLite's `PRAGMA synchronous`: 1 is NORMAL, 2 is FULL.
const NORMAL = 1;
const FULL = 2;

describe('SQLite durable writes', () => {
  let dir: string;
  let storage: KyselyStorage;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kestrel-durably-'));
    storage = await openStorage({ kind: 'sqlite', file: join(dir, 'kestrel.db') });
  });

  afterEach(async () => {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const level = async () =>
    Number((await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(storage.db)).rows[0]?.synchronous);

  it('sync every commit while a durable write runs, and only then', async () => {
    expect(await level()).toBe(NORMAL);
    const seen = await storage.durably(async () => level());
    expect(seen).toBe(FULL);
    expect(await level()).toBe(NORMAL);
  });

  it('stay FULL until the last of overlapping durable writes ends, beside transactions', async () => {
    let releaseFirst!: () => void;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    const first = storage.durably(async () => {
      await firstHeld;
      return level();
    });
    const second = storage.durably(async () => level());
    // A transaction in flight at the same time: the level change must wait for it, not fail.
    const other = storage.transaction(async (repos) => repos.schools.list());
    expect(await second).toBe(FULL);
    await other;
    releaseFirst();
    expect(await first).toBe(FULL);
    expect(await level()).toBe(NORMAL);
  });

  it('step back down when the durable write fails', async () => {
    await expect(
      storage.durably(async () => {
        throw new Error('insert refused');
      }),
    ).rejects.toThrow('insert refused');
    expect(await level()).toBe(NORMAL);
  });
});
