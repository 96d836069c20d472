export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1_000, maxMs: 5 * 60_000 };

/**
 * Exponential backoff with full jitter: a uniformly random delay up to base·2^attempt (capped),
 * so a school's hundreds of agents do not all retry together when the collector comes back.
 * `attempt` counts failures so far (0 for the first retry); `random` is in [0, 1).
 */
export function backoffDelay(
  attempt: number,
  random: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(attempt, 30));
  // Never below half the base: retrying at once helps nobody.
  return Math.max(options.baseMs / 2, Math.floor(random * ceiling));
}
