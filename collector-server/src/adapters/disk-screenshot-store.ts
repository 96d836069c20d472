import { randomBytes, webcrypto } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { ScreenshotStore } from '../ports/screenshot-store.js';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Files under `root/ab/cd/abcd…` named by the SHA-256 of their bytes. Writes go to a temporary file
 * in the destination directory, are fsynced, renamed into place and the directory fsynced, so a file
 * under its final name is always whole. Temporary files left by a crash start with `.tmp-` and are
 * removed by `collectTemporaryFiles()`.
 */
export class DiskScreenshotStore implements ScreenshotStore {
  constructor(
    readonly root: string,
    private readonly options: { fsync: boolean } = { fsync: true },
  ) {}

  pathOf(sha256: string): string {
    // The only path input is a hash we computed (or validated), never a client string.
    if (!SHA256_HEX.test(sha256)) throw new Error('not a SHA-256 hex digest');
    return join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(bytes: Buffer): Promise<string> {
    // WebCrypto hashes on the thread pool: a screenshot's SHA-256 would otherwise hold the event loop.
    const sha256 = Buffer.from(await webcrypto.subtle.digest('SHA-256', bytes)).toString('hex');
    const finalPath = this.pathOf(sha256);
    if (await exists(finalPath)) return sha256;
    const dir = join(this.root, sha256.slice(0, 2), sha256.slice(2, 4));
    await mkdir(dir, { recursive: true });
    const tmp = join(dir, `.tmp-${randomBytes(8).toString('hex')}`);
    const file = await open(tmp, 'wx', 0o600);
    try {
      await file.writeFile(bytes);
      if (this.options.fsync) await file.sync();
    } catch (err) {
      await file.close();
      await rm(tmp, { force: true });
      throw err;
    }
    await file.close();
    // Same content under the same name: a concurrent writer's rename is harmless.
    await rename(tmp, finalPath);
    if (this.options.fsync) await fsyncDir(dir);
    return sha256;
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
    for (const a of await readdirOrEmpty(this.root)) {
      for (const b of await readdirOrEmpty(join(this.root, a))) {
        for (const name of await readdirOrEmpty(join(this.root, a, b))) {
          if (SHA256_HEX.test(name)) yield name;
        }
      }
    }
  }

  /** Removes temporary files older than `olderThanMs` (left by a crash mid-write). */
  async collectTemporaryFiles(olderThanMs = 3_600_000, now = Date.now()): Promise<number> {
    let removed = 0;
    for (const a of await readdirOrEmpty(this.root)) {
      for (const b of await readdirOrEmpty(join(this.root, a))) {
        const dir = join(this.root, a, b);
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
    }
    return removed;
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

async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
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
