import { KestrelError } from '@kestrel/shared/errors';

/** `429 RATE_LIMITED` with `Retry-After`, for any of the collector's token buckets. */
export function rateLimited(tooMany: string, retryAfterSeconds: number): KestrelError {
  return new KestrelError('RATE_LIMITED', `${tooMany}; retry after ${retryAfterSeconds} s`, {
    headers: { 'retry-after': String(retryAfterSeconds) },
  });
}
