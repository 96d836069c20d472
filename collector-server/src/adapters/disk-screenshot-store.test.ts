import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiskScreenshotStore } from './disk-screenshot-store.js';

describe('DiskScreenshotStore', () => {
  let root: string;
  let store: DiskScreenshotStore;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'kestrel-store-'));
    store = new DiskScreenshotStore(root);
  });
  afterEach(async () => rm(root, { recursive: true, force: true }));

  it('stores bytes under their SHA-256 in fan-out directories, readable only by the owner', async () => {
    const bytes = Buffer.from('a screenshot');
    const sha = await store.put(bytes);
    expect(sha).toBe(createHash('sha256').update(bytes).digest('hex'));
    const path = join(root, sha.slice(0, 2), sha);
    expect(store.pathOf(sha)).toBe(path);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await store.get(sha)).toEqual(bytes);
    expect(await store.has(sha)).toBe(true);
  });

  it('is idempotent, also for concurrent writers of the same content', async () => {
    const bytes = Buffer.alloc(100_000, 7);
    const shas = await Promise.all(Array.from({ length: 8 }, () => store.put(bytes)));
    expect(new Set(shas).size).toBe(1);
    const dir = join(root, shas[0]?.slice(0, 2) ?? '');
    expect(await readdir(dir)).toEqual([shas[0]]); // no temporary files left behind
  });

  it('writes a non-durable file whole under its name, and makes a removed directory again', async () => {
    const bytes = Buffer.from('a thumbnail');
    const sha = await store.put(bytes, { durable: false });
    expect(await store.get(sha)).toEqual(bytes);
    await rm(join(root, sha.slice(0, 2)), { recursive: true });
    await store.delete(sha);
    expect(await store.put(bytes)).toBe(sha);
    expect(await store.get(sha)).toEqual(bytes);
    expect(await readdir(join(root, sha.slice(0, 2)))).toEqual([sha]);
  });

  it('never builds a path from anything but a hash', async () => {
    expect(await store.get('../../../etc/passwd')).toBeUndefined();
    expect(await store.has('../x')).toBe(false);
    await expect(store.delete('../x')).resolves.toBeUndefined();
    expect(() => store.pathOf('../x')).toThrow();
  });

  it('deletes and lists', async () => {
    const a = await store.put(Buffer.from('a'));
    const b = await store.put(Buffer.from('b'));
    const listed: string[] = [];
    for await (const sha of store.list()) listed.push(sha);
    expect(listed.sort()).toEqual([a, b].sort());
    await store.delete(a);
    await store.delete(a);
    expect(await store.get(a)).toBeUndefined();
  });

  it('collects temporary files left by a crash, once they are old', async () => {
    const sha = await store.put(Buffer.from('x'));
    const dir = join(root, sha.slice(0, 2));
    await writeFile(join(dir, '.tmp-old'), 'partial');
    await writeFile(join(dir, '.tmp-new'), 'partial');
    const old = new Date(Date.now() - 2 * 3_600_000);
    await utimes(join(dir, '.tmp-old'), old, old);
    expect(await store.collectTemporaryFiles()).toBe(1);
    expect((await readdir(dir)).sort()).toEqual(['.tmp-new', sha]);
  });

  it('moves files from the two-level layout of earlier releases, leaving nothing it did not make', async () => {
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    const legacy = ['first', 'second', 'third'].map((text) => ({ text, sha: sha(text) }));
    for (const { text, sha: h } of legacy) {
      const dir = join(root, h.slice(0, 2), h.slice(2, 4));
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, h), text);
    }
    const [first, second] = legacy.map((l) => l.sha) as [string, string, string];
    const firstDir = join(root, first.slice(0, 2), first.slice(2, 4));
    await writeFile(join(firstDir, '.tmp-interrupted'), 'partial');
    // A stranger's file in an old directory is left where it is, with its directory.
    const strangerDir = join(root, second.slice(0, 2), second.slice(2, 4));
    await writeFile(join(strangerDir, 'notes.txt'), 'not ours');
    // A file already in the new layout stays readable throughout.
    const current = await store.put(Buffer.from('current'));

    const progress: number[] = [];
    expect(await store.migrateLegacyLayout((n) => progress.push(n))).toBe(3);
    for (const { text, sha: h } of legacy) {
      expect((await store.get(h))?.toString()).toBe(text);
    }
    expect((await store.get(current))?.toString()).toBe('current');
    await expect(stat(firstDir)).rejects.toThrow(/ENOENT/);
    expect(await readdir(strangerDir)).toEqual(['notes.txt']);
    const listed: string[] = [];
    for await (const h of store.list()) listed.push(h);
    expect(listed.sort()).toEqual([...legacy.map((l) => l.sha), current].sort());
    // Nothing left to do the second time.
    expect(await store.migrateLegacyLayout()).toBe(0);
  });
});
