import { z } from 'zod';

// C0 controls except tab, and DEL.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000a-\u001f\u007f]/u;

/**
 * A bounded string from an untrusted agent. NUL and other C0 controls (except tab) are rejected,
 * not stripped: a client that sends them is broken or hostile, and silently changing evidence is worse.
 */
export function boundedText(max: number) {
  return z
    .string()
    .max(max)
    .refine((s) => !CONTROL_CHARACTERS.test(s), 'must not contain control characters');
}
