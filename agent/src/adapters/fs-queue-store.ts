import { join } from 'node:path';
import type { QueueEntryRef, QueueStats, QueueStore, QueuedCapture } from '../ports/queue-store.js';
import { decodeEntry, encodeEntry } from './queue-entry-codec.js';
import { nodeQueueFileOps, type QueueFileOps } from './queue-file-ops.js';

export interface FsQueueStoreOptions {
  /** The queue's own directory (e.g. `<data-dir>/queue`). */
  dir: string;
  now: () => number;
  /** Default 256 MiB. */
  maxBytes?: number;
  /** Default 10 000. */
  maxEntries?: number;
  /** Default 30 days: older captures are evicted whatever their severity. */
  maxAgeMs?: number;
  /** Quarantined files kept for inspection (newest); default 50. */
  maxQuarantineFiles?: number;
  ops?: QueueFileOps;
}

interface Entry extends QueueEntryRef {
  file: string;
}

const ENTRY = /^(\d{15})-([1-5])-([0-9a-f-]{36})\.kq$/;
const COUNTERS = 'counters.json';

/**
 * The durable offline queue: one file per capture under `dir`.
 *
 * Writing: `tmp/<id>.tmp` is created and fsynced, renamed into `dir`, then `dir` is fsynced;
 * `enqueue` resolves only after that. A crash before the rename leaves only a temp file, which
 * `open` deletes; after it, the entry is whole. Each file carries its length and a SHA-256, so a
 * file damaged any other way is moved to `quarantine/` and counted, never sent.
 *
 * Bounds, applied before each write: entries older than `maxAgeMs` go first; then, while the
 * queue is over `maxEntries` or `maxBytes`, the lowest-severity entry goes, oldest first among
 * equals (the new capture included: a low-severity capture does not push out a critical one).
 * Evictions and quarantines are counted in `counters.json` and reported in heartbeats.
 */
export class FsQueueStore implements QueueStore {
  private readonly ops: QueueFileOps;
  private readonly entries = new Map<string, Entry>();
  private counters = { evictions: 0, quarantined: 0 };
  private bytes = 0;
  private readonly maxBytes: number;
  private readonly maxEntries: number;
  private readonly maxAgeMs: number;
  private readonly maxQuarantineFiles: number;
  private lastQueuedAt = 0;
  /** Writes and deletes go one at a time, so bounds and counters never race. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: FsQueueStoreOptions) {
    this.ops = options.ops ?? nodeQueueFileOps;
    this.maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.maxAgeMs = options.maxAgeMs ?? 30 * 24 * 3600_000;
    this.maxQuarantineFiles = options.maxQuarantineFiles ?? 50;
  }

  private get tmpDir() {
    return join(this.options.dir, 'tmp');
  }
  private get quarantineDir() {
    return join(this.options.dir, 'quarantine');
  }

  async open(): Promise<QueueStats> {
    const { dir } = this.options;
    await this.ops.mkdir(dir);
    await this.ops.mkdir(this.tmpDir);
    await this.ops.mkdir(this.quarantineDir);
    // Unfinished writes: never renamed, so never part of the queue.
    for (const name of await this.ops.readdir(this.tmpDir)) await this.ops.unlink(join(this.tmpDir, name));
    await this.loadCounters();
    this.entries.clear();
    this.bytes = 0;
    for (const name of await this.ops.readdir(dir)) {
      if (name === 'tmp' || name === 'quarantine' || name === COUNTERS || name === `${COUNTERS}.tmp`)
        continue;
      const m = ENTRY.exec(name);
      if (!m?.[1] || !m[2] || !m[3]) {
        await this.moveToQuarantine(name);
        continue;
      }
      const entry: Entry = {
        file: name,
        captureId: m[3],
        severity: Number(m[2]),
        queuedAt: Number(m[1]),
        bytes: await this.ops.size(join(dir, name)),
      };
      this.entries.set(entry.captureId, entry);
      this.bytes += entry.bytes;
      this.lastQueuedAt = Math.max(this.lastQueuedAt, entry.queuedAt);
    }
    await this.saveCounters();
    return this.stats();
  }

  enqueue(capture: QueuedCapture): Promise<void> {
    return this.serial(async () => {
      const { captureId, severity } = capture.metadata;
      if (this.entries.has(captureId)) return;
      // Strictly increasing, so file names sort in queue order even within one millisecond.
      const queuedAt = Math.max(this.options.now(), this.lastQueuedAt + 1);
      this.lastQueuedAt = queuedAt;
      const data = encodeEntry(capture, queuedAt);
      const admitted = await this.makeRoom({ captureId, severity, queuedAt, bytes: data.length });
      if (!admitted) return;
      const file = `${String(queuedAt).padStart(15, '0')}-${severity}-${captureId}.kq`;
      const tmp = join(this.tmpDir, `${captureId}.tmp`);
      await this.ops.create(tmp, data);
      await this.ops.fsync(tmp);
      await this.ops.rename(tmp, join(this.options.dir, file));
      await this.ops.fsyncDir(this.options.dir);
      this.entries.set(captureId, { file, captureId, severity, queuedAt, bytes: data.length });
      this.bytes += data.length;
    });
  }

  async list(): Promise<QueueEntryRef[]> {
    return [...this.entries.values()]
      .sort((a, b) => b.severity - a.severity || a.queuedAt - b.queuedAt)
      .map(({ captureId, severity, queuedAt, bytes }) => ({ captureId, severity, queuedAt, bytes }));
  }

  async read(captureId: string): Promise<QueuedCapture | undefined> {
    const entry = this.entries.get(captureId);
    if (!entry) return undefined;
    let data: Uint8Array;
    try {
      data = await this.ops.readFile(join(this.options.dir, entry.file));
    } catch (error) {
      if (isMissing(error)) {
        this.forget(entry);
        return undefined;
      }
      throw error;
    }
    const decoded = decodeEntry(data);
    if (decoded.ok && decoded.capture.metadata.captureId === captureId) return decoded.capture;
    await this.quarantine(captureId, decoded.ok ? 'captureId mismatch' : decoded.reason);
    return undefined;
  }

  remove(captureId: string): Promise<void> {
    return this.serial(async () => {
      const entry = this.entries.get(captureId);
      if (!entry) return;
      await this.unlinkEntry(entry);
      await this.ops.fsyncDir(this.options.dir);
    });
  }

  quarantine(captureId: string, _reason: string): Promise<void> {
    return this.serial(async () => {
      const entry = this.entries.get(captureId);
      if (!entry) return;
      this.forget(entry);
      await this.moveToQuarantine(entry.file);
    });
  }

  stats(): QueueStats {
    return { length: this.entries.size, bytes: this.bytes, ...this.counters };
  }

  async close(): Promise<void> {
    await this.chain.catch(() => undefined);
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.chain.then(task, task);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Applies the bounds for a new entry; false when the new entry itself is the one to drop. */
  private async makeRoom(incoming: QueueEntryRef): Promise<boolean> {
    const now = this.options.now();
    let evicted = 0;
    for (const entry of [...this.entries.values()]) {
      if (now - entry.queuedAt > this.maxAgeMs) {
        await this.unlinkEntry(entry);
        evicted++;
      }
    }
    let admitted = true;
    while (this.entries.size + 1 > this.maxEntries || this.bytes + incoming.bytes > this.maxBytes) {
      const victim = [...this.entries.values()].sort(
        (a, b) => a.severity - b.severity || a.queuedAt - b.queuedAt,
      )[0];
      if (!victim || victim.severity > incoming.severity) {
        admitted = false;
        evicted++;
        break;
      }
      await this.unlinkEntry(victim);
      evicted++;
    }
    if (evicted > 0) {
      await this.ops.fsyncDir(this.options.dir);
      this.counters.evictions += evicted;
      await this.saveCounters();
    }
    return admitted;
  }

  private async unlinkEntry(entry: Entry): Promise<void> {
    this.forget(entry);
    try {
      await this.ops.unlink(join(this.options.dir, entry.file));
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }

  private forget(entry: Entry): void {
    if (this.entries.delete(entry.captureId)) this.bytes -= entry.bytes;
  }

  private async moveToQuarantine(name: string): Promise<void> {
    try {
      await this.ops.rename(join(this.options.dir, name), join(this.quarantineDir, name));
    } catch (error) {
      if (!isMissing(error)) throw error;
      return;
    }
    await this.ops.fsyncDir(this.options.dir);
    this.counters.quarantined++;
    await this.saveCounters();
    // Kept for a technician to inspect, but bounded.
    const kept = (await this.ops.readdir(this.quarantineDir)).sort();
    for (const old of kept.slice(0, Math.max(0, kept.length - this.maxQuarantineFiles))) {
      await this.ops.unlink(join(this.quarantineDir, old)).catch(() => undefined);
    }
  }

  private async loadCounters(): Promise<void> {
    try {
      const raw = JSON.parse(
        Buffer.from(await this.ops.readFile(join(this.options.dir, COUNTERS))).toString('utf8'),
      ) as unknown;
      if (typeof raw === 'object' && raw !== null) {
        const { evictions, quarantined } = raw as Record<string, unknown>;
        this.counters = {
          evictions: Number.isSafeInteger(evictions) ? Number(evictions) : 0,
          quarantined: Number.isSafeInteger(quarantined) ? Number(quarantined) : 0,
        };
      }
    } catch {
      // Missing or torn: counts restart from zero rather than stopping the queue.
    }
  }

  private async saveCounters(): Promise<void> {
    const path = join(this.options.dir, COUNTERS);
    const tmp = `${path}.tmp`;
    await this.ops.unlink(tmp).catch(() => undefined);
    await this.ops.create(tmp, Buffer.from(JSON.stringify(this.counters)));
    await this.ops.fsync(tmp);
    await this.ops.rename(tmp, path);
    await this.ops.fsyncDir(this.options.dir);
  }
}

function isMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT';
}
