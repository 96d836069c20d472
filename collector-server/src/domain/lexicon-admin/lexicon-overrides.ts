import { createHash } from 'node:crypto';
import { lexiconEntrySchema, lexiconExceptionSchema, parseLexicon } from '@kestrel/shared/lexicon';
import type { LexiconFile } from '@kestrel/shared/lexicon';
import { categorySchema, severitySchema } from '@kestrel/shared/protocol';
import { z } from 'zod';

const entryKeySchema = z.strictObject({ term: z.string().min(1).max(100), category: categorySchema });

/**
 * A school's changes to the shipped lexicon: entries switched off, terms added, exceptions added,
 * shipped entries given another severity (1–5, the lexicon's own scale). Kept apart from the shipped lexicon so that an upgrade's new lexicon still reaches the school
 * with the school's changes applied on top.
 */
export const lexiconOverridesSchema = z.strictObject({
  disabled: z.array(entryKeySchema).max(50_000).default([]),
  added: z.array(lexiconEntrySchema).max(10_000).default([]),
  exceptions: z.array(lexiconExceptionSchema).max(10_000).default([]),
  severities: z
    .array(entryKeySchema.extend({ severity: severitySchema }))
    .max(50_000)
    .default([]),
});
export type LexiconOverrides = z.infer<typeof lexiconOverridesSchema>;

export const NO_OVERRIDES: LexiconOverrides = { disabled: [], added: [], exceptions: [], severities: [] };

export function isEmpty(o: LexiconOverrides): boolean {
  return (
    o.disabled.length === 0 && o.added.length === 0 && o.exceptions.length === 0 && o.severities.length === 0
  );
}

/** One entry of the lexicon: a term within its category. */
export const entryKey = (e: { term: string; category: string }) => `${e.category}\u0000${e.term}`;

/** The changes as they were hashed before severities existed, so existing versions keep their name. */
function digestOf(o: LexiconOverrides): string {
  const { severities, ...rest } = o;
  const hashed = severities.length === 0 ? rest : o;
  return createHash('sha256').update(JSON.stringify(hashed)).digest('hex').slice(0, 8);
}

/** The base lexicon with the school's changes, validated as a lexicon file; version names both. */
export function applyOverrides(base: LexiconFile, o: LexiconOverrides): LexiconFile {
  if (isEmpty(o)) return base;
  const off = new Set(o.disabled.map(entryKey));
  const added = new Map(o.added.map((e) => [entryKey(e), e]));
  const severity = new Map(o.severities.map((e) => [entryKey(e), e.severity]));
  const entries = base.entries
    .filter((e) => !off.has(entryKey(e)) && !added.has(entryKey(e)))
    .map((e) => {
      const s = severity.get(entryKey(e));
      return s === undefined ? e : { ...e, severity: s };
    })
    .concat([...added.values()]);
  return parseLexicon({
    ...base,
    name: `${base.name} (school changes)`,
    version: `${base.version}+school.${digestOf(o)}`,
    entries,
    exceptions: [...base.exceptions, ...o.exceptions],
  });
}
