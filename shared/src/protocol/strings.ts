import { z } from 'zod';

// C0 controls except tab, and DEL. Built from a string so the source holds no control characters.
const CONTROL_CHARACTERS = new RegExp('[\\u0000-\\u0008\\u000a-\\u001f\\u007f]', 'u');

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
