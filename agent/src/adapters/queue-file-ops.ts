import { promises as fs } from 'node:fs';

/**
 * The file operations the durable queue is made of, one per step that a crash can fall between.
 * The queue takes them as a parameter so a test can stop the world after any step.
 */
export interface QueueFileOps {
  /** Creates `path` (which must not exist) with `data`, not yet synced. */
  create(path: string, data: Uint8Array): Promise<void>;
  /** Flushes a file's data to the disk. */
  fsync(path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** Flushes a directory, so a rename or unlink in it is durable. */
  fsyncDir(dir: string): Promise<void>;
  unlink(path: string): Promise<void>;
  readFile(path: string): Promise<Uint8Array>;
  readdir(dir: string): Promise<string[]>;
  size(path: string): Promise<number>;
  mkdir(dir: string): Promise<void>;
}

async function syncHandle(path: string, flags: string): Promise<void> {
  const handle = await fs.open(path, flags);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export const nodeQueueFileOps: QueueFileOps = {
  async create(path, data) {
    // Owner-only: an entry holds the context of a match and a screenshot.
    await fs.writeFile(path, data, { flag: 'wx', mode: 0o600 });
  },
  fsync: (path) => syncHandle(path, 'r+'),
  rename: (from, to) => fs.rename(from, to),
  fsyncDir: (dir) => syncHandle(dir, 'r'),
  unlink: (path) => fs.unlink(path),
  readFile: (path) => fs.readFile(path),
  readdir: (dir) => fs.readdir(dir),
  size: async (path) => (await fs.stat(path)).size,
  async mkdir(dir) {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  },
};
