import { z } from 'zod';

/**
 * A bounded string from an untrusted agent. NUL and other C0 controls (except tab) are rejected,
 * not stripped: a client that sends them is broken or hostile, and silently changing evidence is worse.
 */
export function boundedText(max: number) {
  // eslint-disable-next-line no-control-regex
  return z
    .string()
    .max(max)
    .regex(/^[^\u0000-\u0008\u000a-\u001f\u007f]*$/u, 'must not contain control characters');
}
