import type { z } from 'zod';
import { validationError } from './error-handler.js';

/** Validates untrusted input against a shared schema; the error names the failing field. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, prefix?: string): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw validationError(result.error, prefix);
  return result.data;
}
