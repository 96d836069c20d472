import { close as closeCallback, fsync as fsyncCallback, open as openCallback } from 'node:fs';
import { promisify } from 'node:util';
import { CoalescedRun } from '../../domain/coalesced-run.js';

const fsyncFd = promisify(fsyncCallback);
const openFd = promisify(openCallback);
const closeFd = promisify(closeCallback);

export interface WalSyncOptions {
  /** Flushes a file descriptor to disk; `fs.fsync` on the thread pool unless a test replaces it. */
  fsync?: (fd: number) => Promise<void>;
}

/**
 * Makes SQLite commits power-cut durable without blocking the event loop. In WAL mode a commit
 * appends its pages to the `-wal` file; `synchronous=FULL` would fsync that file inside the commit,
 * on the main thread, once per transaction. Instead commits run at `NORMAL` and a caller that needs
 * durability awaits `sync()`, which fsyncs the same file on the thread pool. A checkpoint (the only
 * thing that moves pages out of the log, or reuses it) syncs the log first at `NORMAL`, so frames
 * are either in the synced log or in the synced database file.
 *
 * Group commit: callers arriving while an fsync runs share the next one, which starts when the
 * current one ends (the current one may have begun before their commit, so it cannot count for
 * them). Under load, one fsync covers every commit of the moment before it.
 */
export class WalSync {
  private fd: Promise<number> | undefined;
  private readonly flushes = new CoalescedRun(() => this.flush());
  private readonly fsync: (fd: number) => Promise<void>;

  constructor(
    private readonly walFile: string,
    options: WalSyncOptions = {},
  ) {
    this.fsync = options.fsync ?? fsyncFd;
  }

  /** Resolves once everything committed before the call is on disk. */
  sync(): Promise<void> {
    return this.flushes.run();
  }

  private async flush(): Promise<void> {
    // Opened on first use: the log exists once the database has been written (migrations do).
    this.fd ??= openFd(this.walFile, 'r+');
    let fd: number;
    try {
      fd = await this.fd;
    } catch (err) {
      this.fd = undefined; // try again next time, so a transient failure is not remembered
      throw err;
    }
    await this.fsync(fd);
  }

  /** Closes the descriptor (the database's own close is separate). */
  async close(): Promise<void> {
    const pending = this.fd;
    this.fd = undefined;
    await this.flushes.idle();
    if (pending === undefined) return;
    const fd = await pending.catch(() => undefined);
    if (fd !== undefined) await closeFd(fd);
  }
}
