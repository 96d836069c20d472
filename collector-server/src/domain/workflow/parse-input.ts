import { KestrelError } from '@kestrel/shared/errors';
import type { z } from 'zod';

/** Validates input at the domain boundary; a failure is VALIDATION_FAILED naming the field. */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue === undefined || issue.path.length === 0 ? 'input' : issue.path.join('.');
  throw new KestrelError('VALIDATION_FAILED', `${where}: ${issue?.message ?? 'invalid'}`);
}
