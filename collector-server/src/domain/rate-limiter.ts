import type { Clock } from '../ports/clock.js';

/**
 * Token buckets per key (a device id and a request class): `perMinute` sustained with bursts of up
 * to `burst`. In memory: one collector process is the unit of limiting; behind several instances
 * each enforces its own share.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updatedMs: number }>();
  private readonly ratePerMs: number;

  constructor(
    perMinute: number,
    private readonly burst: number,
    private readonly clock: Clock,
    private readonly maxKeys = 100_000,
  ) {
    this.ratePerMs = perMinute / 60_000;
  }

  /** Answers 0 when a token is available (without taking it), else the seconds to wait. */
  peek(key: string): number {
    const bucket = this.buckets.get(key);
    if (bucket === undefined) return 0;
    const tokens = Math.min(
      this.burst,
      bucket.tokens + (this.clock.now().getTime() - bucket.updatedMs) * this.ratePerMs,
    );
    return tokens >= 1 ? 0 : Math.max(1, Math.ceil((1 - tokens) / this.ratePerMs / 1000));
  }

  /** Takes one token; answers 0 when allowed, else the seconds to wait before retrying. */
  take(key: string): number {
    const now = this.clock.now().getTime();
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      if (this.buckets.size >= this.maxKeys) this.prune(now);
      bucket = { tokens: this.burst, updatedMs: now };
      this.buckets.set(key, bucket);
    } else {
      bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.updatedMs) * this.ratePerMs);
      bucket.updatedMs = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.ratePerMs / 1000));
  }

  /** Forgets full buckets (their state equals a fresh one), bounding memory. */
  private prune(now: number): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + (now - b.updatedMs) * this.ratePerMs >= this.burst) this.buckets.delete(key);
    }
  }
}
