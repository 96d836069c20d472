/** An opaque timer handle. */
export type TimerId = unknown;

/** Time and scheduling, so tests drive time instead of waiting for it. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** The local offset from UTC in minutes at that instant (+60 for BST), for `capturedAt`. */
  utcOffsetMinutes(epochMs: number): number;
  setTimeout(callback: () => void, ms: number): TimerId;
  clearTimeout(id: TimerId): void;
}
