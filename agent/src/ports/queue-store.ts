import type { CaptureMetadata } from '@kestrel/shared/protocol';
import type { Screenshot } from './screenshotter.js';

/** One capture waiting for delivery. */
export interface QueuedCapture {
  metadata: CaptureMetadata;
  screenshot?: Screenshot;
}

/** What the queue knows about an entry without reading it. */
export interface QueueEntryRef {
  captureId: string;
  severity: number;
  /** Epoch milliseconds when it was queued. */
  queuedAt: number;
  bytes: number;
}

export interface QueueStats {
  length: number;
  bytes: number;
  /** Entries dropped by the queue's bounds, ever (persisted). */
  evictions: number;
  /** Corrupt or rejected entries moved aside, ever (persisted). */
  quarantined: number;
}

/**
 * The durable offline queue. `enqueue` resolves only once the entry would survive a power cut;
 * an entry leaves only by `remove` (delivered), `quarantine` (corrupt or refused) or eviction.
 */
export interface QueueStore {
  /** Recovers after a crash (drops unfinished writes) and loads the counters. */
  open(): Promise<QueueStats>;
  enqueue(capture: QueuedCapture): Promise<void>;
  /** Entries in delivery order: highest severity first, then oldest. */
  list(): Promise<QueueEntryRef[]>;
  /** Reads and validates one entry; a corrupt one is quarantined and `undefined` returned. */
  read(captureId: string): Promise<QueuedCapture | undefined>;
  remove(captureId: string): Promise<void>;
  quarantine(captureId: string, reason: string): Promise<void>;
  stats(): QueueStats;
  close(): Promise<void>;
}
