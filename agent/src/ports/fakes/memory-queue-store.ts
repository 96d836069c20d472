import type { QueueEntryRef, QueueStats, QueueStore, QueuedCapture } from '../queue-store.js';

/** The queue's contract in memory, for pipeline tests (the durable one is the fs adapter). */
export class MemoryQueueStore implements QueueStore {
  readonly entries = new Map<string, { capture: QueuedCapture; queuedAt: number }>();
  quarantined = 0;
  private clock = 0;

  async open(): Promise<QueueStats> {
    return this.stats();
  }

  async enqueue(capture: QueuedCapture): Promise<void> {
    this.entries.set(capture.metadata.captureId, { capture, queuedAt: this.clock++ });
  }

  async list(): Promise<QueueEntryRef[]> {
    return [...this.entries.values()]
      .map((e) => ({
        captureId: e.capture.metadata.captureId,
        severity: e.capture.metadata.severity,
        queuedAt: e.queuedAt,
        bytes: 0,
      }))
      .sort((a, b) => b.severity - a.severity || a.queuedAt - b.queuedAt);
  }

  async read(captureId: string): Promise<QueuedCapture | undefined> {
    return this.entries.get(captureId)?.capture;
  }

  async remove(captureId: string): Promise<void> {
    this.entries.delete(captureId);
  }

  async quarantine(captureId: string): Promise<void> {
    if (this.entries.delete(captureId)) this.quarantined++;
  }

  stats(): QueueStats {
    return { length: this.entries.size, bytes: 0, evictions: 0, quarantined: this.quarantined };
  }

  async close(): Promise<void> {}
}
