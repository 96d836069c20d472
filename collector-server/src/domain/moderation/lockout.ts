/**
 * Sign-in throttling: failures are counted per key (an account, an IP address) inside a window;
 * past the threshold the key is locked for a while. Pure: storage and the clock are the caller's.
 */
export interface LockoutPolicy {
  /** Failures within `windowMs` that lock the key. */
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

export const ACCOUNT_LOCKOUT: LockoutPolicy = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };
/** An IP address is shared by a whole school behind NAT, so it gets a wider allowance. */
export const IP_LOCKOUT: LockoutPolicy = { maxFailures: 30, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

export interface FailureRecord {
  failures: number;
  windowStartMs: number;
  lockedUntilMs: number | null;
}

/** Seconds until the key may try again, or 0 when it is not locked. */
export function lockedForSeconds(record: FailureRecord | undefined, nowMs: number): number {
  if (!record || record.lockedUntilMs === null || record.lockedUntilMs <= nowMs) return 0;
  return Math.ceil((record.lockedUntilMs - nowMs) / 1000);
}

/** The record after one more failure. */
export function recordFailure(
  record: FailureRecord | undefined,
  nowMs: number,
  policy: LockoutPolicy,
): FailureRecord {
  const fresh = !record || nowMs - record.windowStartMs > policy.windowMs;
  const failures = fresh ? 1 : record.failures + 1;
  const windowStartMs = fresh ? nowMs : record.windowStartMs;
  const lockedUntilMs =
    failures >= policy.maxFailures ? nowMs + policy.lockMs : (record?.lockedUntilMs ?? null);
  return { failures, windowStartMs, lockedUntilMs };
}
