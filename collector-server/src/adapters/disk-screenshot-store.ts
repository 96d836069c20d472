import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { readFile, readdir, rename, rm, rmdir, stat, unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import type { ScreenshotStore } from '../ports/screenshot-store.js';

const SHA256_HEX = /^[0-9a-f]{64}$/;
const FAN_OUT = /^[0-9a-f]{2}$/;
const fsyncAsync = promisify(fsync);

/**
 * Files under `root/ab/abcd…` named by the SHA-256 of their bytes: 256 fan-out directories, made
 * once each (a directory costs as much as a durable write to create, so a deeper fan-out would make
 * one for almost every file for years; a million captures are ~8,000 files a directory, which
 * indexed directories handle well). Writes go to a temporary file
 * in the destination directory, are fsynced, renamed into place and the directory fsynced, so a file
 * under its final name is always whole and, once `put` resolves, survives a power cut. A write with
 * `durable: false` (thumbnails, which can be made again from their screenshot) skips both fsyncs:
 * still whole under its final name after a process crash, but a power cut may lose it. Temporary files left by a crash start with `.tmp-` and are
 * removed by `collectTemporaryFiles()`.
 */
export class DiskScreenshotStore implements ScreenshotStore {
  /** Fan-out directories already created (at most 256): no mkdir per write. */
  private readonly knownDirs = new Set<string>();

  constructor(
    readonly root: string,
    private readonly options: { fsync: boolean } = { fsync: true },
  ) {}

  pathOf(sha256: string): string {
    // The only path input is a hash we computed (or validated), never a client string.
    if (!SHA256_HEX.test(sha256)) throw new Error('not a SHA-256 hex digest');
    return join(this.root, sha256.slice(0, 2), sha256);
  }

  async put(bytes: Buffer, options: { durable?: boolean } = {}): Promise<string> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const dir = join(this.root, sha256.slice(0, 2));
    const finalPath = join(dir, sha256);
    if (existsSync(finalPath)) return sha256;
    const durable = this.options.fsync && options.durable !== false;
    // Opening, writing to the page cache, closing and renaming are done in place: each costs a few
    // microseconds, less than a trip through the thread pool. Only the fsyncs, which wait for the
    // disk, go to the pool (docs/benchmarks.md, "Collector ingest").
    const tmp = join(dir, `.tmp-${randomBytes(8).toString('hex')}`);
    const fd = this.createIn(dir, tmp);
    try {
      for (let written = 0; written < bytes.length;) {
        written += writeSync(fd, bytes, written, bytes.length - written);
      }
      if (durable) await fsyncAsync(fd);
    } catch (err) {
      closeSync(fd);
      rmSync(tmp, { force: true });
      throw err;
    }
    closeSync(fd);
    // Same content under the same name: a concurrent writer's rename is harmless.
    renameSync(tmp, finalPath);
    if (durable) await fsyncDirectory(dir);
    return sha256;
  }

  /** Creates `tmp` (exclusively, mode 0600), making its directory the first time it is used. */
  private createIn(dir: string, tmp: string): number {
    if (this.knownDirs.has(dir)) {
      try {
        return openSync(tmp, 'wx', 0o600);
      } catch (err) {
        // Removed behind our back (an operator tidying up): make it again.
        if (!isNotFound(err)) throw err;
        this.knownDirs.delete(dir);
      }
    }
    mkdirSync(dir, { recursive: true });
    this.knownDirs.add(dir);
    return openSync(tmp, 'wx', 0o600);
  }

  async get(sha256: string): Promise<Buffer | undefined> {
    if (!SHA256_HEX.test(sha256)) return undefined;
    try {
      return await readFile(this.pathOf(sha256));
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async has(sha256: string): Promise<boolean> {
    return SHA256_HEX.test(sha256) && exists(this.pathOf(sha256));
  }

  async delete(sha256: string): Promise<void> {
    if (!SHA256_HEX.test(sha256)) return;
    try {
      await unlink(this.pathOf(sha256));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  async modifiedAt(sha256: string): Promise<Date | undefined> {
    if (!SHA256_HEX.test(sha256)) return undefined;
    const s = await stat(this.pathOf(sha256)).catch((err: unknown) => {
      if (isNotFound(err)) return undefined;
      throw err;
    });
    return s?.mtime;
  }

  async *list(): AsyncIterable<string> {
    for (const dir of await this.fanOutDirs()) {
      for (const name of await readdirOrEmpty(dir)) {
        if (SHA256_HEX.test(name)) yield name;
      }
    }
  }

  /** Removes temporary files older than `olderThanMs` (left by a crash mid-write). */
  async collectTemporaryFiles(olderThanMs = 3_600_000, now = Date.now()): Promise<number> {
    let removed = 0;
    for (const dir of await this.fanOutDirs()) {
      for (const name of await readdirOrEmpty(dir)) {
        if (!name.startsWith('.tmp-')) continue;
        const p = join(dir, name);
        const s = await stat(p).catch(() => undefined);
        if (s !== undefined && now - s.mtimeMs > olderThanMs) {
          await rm(p, { force: true });
          removed++;
        }
      }
    }
    return removed;
  }

  /**
   * Moves files from the first releases' two-level layout (`ab/cd/abcd…`) to `ab/abcd…`. Run at
   * start, before requests: each move is one rename within the store (atomic: a power cut leaves a
   * file under its old name or its new one, and the next start finishes the job), each directory is
   * fsynced once its files have moved, and emptied old directories are removed.
   */
  async migrateLegacyLayout(onProgress?: (moved: number) => void): Promise<number> {
    let moved = 0;
    for (const dir of await this.fanOutDirs()) {
      const legacy = (await readdirOrEmpty(dir)).filter((name) => FAN_OUT.test(name));
      for (const sub of legacy) {
        const from = join(dir, sub);
        for (const name of await readdirOrEmpty(from)) {
          if (SHA256_HEX.test(name) && name.startsWith(`${basename(dir)}${sub}`)) {
            await rename(join(from, name), join(dir, name));
            moved++;
            if (moved % 10_000 === 0) onProgress?.(moved);
          } else if (name.startsWith('.tmp-')) {
            await rm(join(from, name), { force: true }); // a write a crash interrupted
          }
        }
        if (this.options.fsync) await fsyncDirectory(dir);
        // Anything unexpected left inside stays, with its directory: never delete what we did not make.
        await rmdir(from).catch(() => undefined);
      }
    }
    return moved;
  }

  private async fanOutDirs(): Promise<string[]> {
    return (await readdirOrEmpty(this.root))
      .filter((name) => FAN_OUT.test(name))
      .map((name) => join(this.root, name));
  }
}

/** Makes renames into `dir` durable: opened and closed in place, only the fsync goes to the pool. */
async function fsyncDirectory(dir: string): Promise<void> {
  const fd = openSync(dir, 'r');
  try {
    await fsyncAsync(fd);
  } finally {
    closeSync(fd);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    if (isNotFound(err)) return [];
    throw err;
  }
}

function isNotFound(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
