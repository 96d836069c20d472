import type { Clock, TimerId } from '../ports/clock.js';
import type { CollectorClient } from '../ports/collector-client.js';
import type { Logger } from '../ports/logger.js';
import type { QueueStore } from '../ports/queue-store.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import type { Connection } from './connection.js';

export interface UploaderDeps {
  queue: QueueStore;
  client: CollectorClient;
  connection: Connection;
  clock: Clock;
  logger: Logger;
  /** In [0, 1); injected so tests can pin the jitter. */
  random: () => number;
  backoff?: BackoffOptions;
}

/**
 * Sends the queue, one capture at a time, and removes an entry only once the collector answered
 * 201 or 200 (it already had that captureId). A failure stops the round and retries later with
 * exponential backoff and jitter; a capture the collector refuses for good is quarantined.
 */
export class Uploader {
  delivered = 0;
  lastDeliveredAt: number | undefined;
  /** Failures in a row; drives the backoff. */
  failures = 0;
  private timer: TimerId | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;

  constructor(private readonly deps: UploaderDeps) {}

  start(): void {
    this.stopped = false;
    this.wake();
  }

  /** Something was queued, or the network may be back: send now unless backing off. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer !== undefined) return;
    this.running = this.round().finally(() => {
      this.running = undefined;
      if (this.again && !this.stopped && this.timer === undefined) {
        this.again = false;
        this.wake();
      }
    });
  }

  /** Stops after the request in flight, if any, has been answered. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) this.deps.clock.clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Resolves once the current round (if any) is over; for tests and shutdown. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async round(): Promise<void> {
    const { queue, client, connection, logger } = this.deps;
    try {
      this.again = false;
      const entries = await queue.list();
      if (entries.length === 0) return;
      const token = await connection.token();
      if (!token.ok) return this.retryLater(token.failure.retryAfterMs);
      for (const ref of entries) {
        if (this.stopped) return;
        const capture = await queue.read(ref.captureId);
        if (!capture) continue;
        const result = await client.uploadCapture(token.value, capture.metadata, capture.screenshot);
        await connection.observe(result);
        if (result.ok) {
          await queue.remove(ref.captureId);
          this.delivered++;
          this.failures = 0;
          this.lastDeliveredAt = this.deps.clock.now();
          logger.info('capture delivered', { captureId: ref.captureId, duplicate: result.value.duplicate });
          continue;
        }
        if (result.failure.kind === 'rejected') {
          logger.error('capture refused by the collector; quarantined', {
            captureId: ref.captureId,
            status: result.failure.status,
            code: result.failure.code,
          });
          await queue.quarantine(
            ref.captureId,
            result.failure.code ?? `HTTP ${result.failure.status ?? '?'}`,
          );
          continue;
        }
        return this.retryLater(result.failure.retryAfterMs);
      }
      // Captures queued during this round are sent in the next one.
      this.again = true;
    } catch (error) {
      logger.error('upload round failed', { error: error instanceof Error ? error.message : String(error) });
      this.retryLater(undefined);
    }
  }

  private retryLater(retryAfterMs: number | undefined): void {
    if (this.stopped) return;
    const delay = Math.max(
      retryAfterMs ?? 0,
      backoffDelay(this.failures, this.deps.random(), this.deps.backoff ?? DEFAULT_BACKOFF),
    );
    this.failures++;
    this.deps.logger.debug('upload retry scheduled', { delayMs: delay, failures: this.failures });
    this.timer = this.deps.clock.setTimeout(() => {
      this.timer = undefined;
      this.wake();
    }, delay);
  }
}
