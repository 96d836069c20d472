import { z } from 'zod';
import { categorySchema, severitySchema } from '../protocol/categories.js';

/**
 * The lexicon file format, version 1 (documented in docs/lexicon.md).
 *
 * A term is one word or a phrase of words separated by single spaces, written in lower case as a
 * pupil would type it without evasion (the engine normalises the text, not the term). A trailing
 * `*` makes the last word a stem: `suicid*` matches suicide, suicidal. Terms match whole words only.
 */
export const AGE_BANDS = ['primary', 'secondary', 'sixth-form'] as const;
export const ageBandSchema = z.enum(AGE_BANDS);
export type AgeBand = z.infer<typeof ageBandSchema>;

const TERM_PATTERN = /^[\p{Ll}\p{Lo}\p{N}'’-]+( [\p{Ll}\p{Lo}\p{N}'’-]+)*\*?$/u;
const termSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(
    TERM_PATTERN,
    'must be lower-case words separated by single spaces, with an optional trailing * stem',
  );

const languageTagSchema = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 language tag');

export const lexiconEntrySchema = z.strictObject({
  term: termSchema,
  category: categorySchema,
  severity: severitySchema,
  /** Age bands the entry applies to; absent means all. */
  ageBands: z.array(ageBandSchema).min(1).optional(),
  /** Language of the term; absent means the file's language. */
  lang: languageTagSchema.optional(),
  /** Why the entry is here, for the lexicon administrator. */
  note: z.string().max(500).optional(),
});
export type LexiconEntry = z.infer<typeof lexiconEntrySchema>;

export const lexiconExceptionSchema = z.strictObject({
  /** A benign phrase; a match that overlaps it is cancelled. Same syntax as a term (no stem). */
  phrase: termSchema.refine((p) => !p.endsWith('*'), 'an exception cannot be a stem'),
  /** Only cancel matches of these categories; absent means any category. */
  categories: z.array(categorySchema).min(1).optional(),
  note: z.string().max(500).optional(),
});
export type LexiconException = z.infer<typeof lexiconExceptionSchema>;

export const lexiconFileSchema = z.strictObject({
  format: z.literal('kestrel-lexicon'),
  formatVersion: z.literal(1),
  name: z.string().min(1).max(200),
  /** The lexicon's own version, reported by agents in heartbeats. */
  version: z.string().min(1).max(128),
  language: languageTagSchema.default('en-GB'),
  entries: z.array(lexiconEntrySchema).max(200_000),
  exceptions: z.array(lexiconExceptionSchema).max(50_000).default([]),
});
export type LexiconFile = z.infer<typeof lexiconFileSchema>;
