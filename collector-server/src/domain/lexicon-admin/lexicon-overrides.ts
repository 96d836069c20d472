import { createHash } from 'node:crypto';
import { lexiconEntrySchema, lexiconExceptionSchema, parseLexicon } from '@kestrel/shared/lexicon';
import type { LexiconFile } from '@kestrel/shared/lexicon';
import { categorySchema } from '@kestrel/shared/protocol';
import { z } from 'zod';

/**
 * A school's changes to the shipped lexicon: entries switched off, terms added, exceptions added.
 * Kept apart from the shipped lexicon so that an upgrade's new lexicon still reaches the school
 * with the school's changes applied on top.
 */
export const lexiconOverridesSchema = z.strictObject({
  disabled: z
    .array(z.strictObject({ term: z.string().min(1).max(100), category: categorySchema }))
    .max(50_000)
    .default([]),
  added: z.array(lexiconEntrySchema).max(10_000).default([]),
  exceptions: z.array(lexiconExceptionSchema).max(10_000).default([]),
});
export type LexiconOverrides = z.infer<typeof lexiconOverridesSchema>;

export const NO_OVERRIDES: LexiconOverrides = { disabled: [], added: [], exceptions: [] };

export function isEmpty(o: LexiconOverrides): boolean {
  return o.disabled.length === 0 && o.added.length === 0 && o.exceptions.length === 0;
}

const key = (e: { term: string; category: string }) => `${e.category}\u0000${e.term}`;

/** The base lexicon with the school's changes, validated as a lexicon file; version names both. */
export function applyOverrides(base: LexiconFile, o: LexiconOverrides): LexiconFile {
  if (isEmpty(o)) return base;
  const off = new Set(o.disabled.map(key));
  const added = new Map(o.added.map((e) => [key(e), e]));
  const entries = base.entries
    .filter((e) => !off.has(key(e)) && !added.has(key(e)))
    .concat([...added.values()]);
  const digest = createHash('sha256').update(JSON.stringify(o)).digest('hex').slice(0, 8);
  return parseLexicon({
    ...base,
    name: `${base.name} (school changes)`,
    version: `${base.version}+school.${digest}`,
    entries,
    exceptions: [...base.exceptions, ...o.exceptions],
  });
}
