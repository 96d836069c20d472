/**
 * Keeps a burst from flooding the queue: the same key (window + term) makes one capture per
 * de-duplication period, and no more than `maxPerMinute` captures are admitted in any minute.
 */
export class CaptureThrottle {
  private readonly lastSeen = new Map<string, number>();
  private readonly admitted: number[] = [];
  /** Matches not captured because of the bounds (a count, never the text). */
  dropped = 0;

  constructor(
    private dedupeMs: number,
    private readonly maxPerMinute: number,
    private readonly maxKeys = 1024,
  ) {}

  setDedupeMs(ms: number): void {
    this.dedupeMs = ms;
  }

  admit(key: string, now: number): boolean {
    const last = this.lastSeen.get(key);
    if (last !== undefined && now - last < this.dedupeMs) return false;
    while (this.admitted.length > 0 && now - (this.admitted[0] ?? now) >= 60_000) this.admitted.shift();
    if (this.admitted.length >= this.maxPerMinute) {
      this.dropped++;
      return false;
    }
    this.admitted.push(now);
    // Re-insert so the Map's order is least recently captured first, and forget the oldest key
    // when full: memory stays bounded however many distinct terms a pupil types.
    this.lastSeen.delete(key);
    this.lastSeen.set(key, now);
    if (this.lastSeen.size > this.maxKeys) {
      const oldest = this.lastSeen.keys().next();
      if (!oldest.done) this.lastSeen.delete(oldest.value);
    }
    return true;
  }
}
