import { z } from 'zod';

/** The twelve safeguarding categories (MISSION.md), in a stable order used for display and reports. */
export const CATEGORIES = [
  'illegal',
  'cse',
  'sexual-content',
  'self-harm',
  'suicide',
  'bullying',
  'discrimination',
  'extremism',
  'drugs',
  'violence',
  'gambling',
  'circumvention',
] as const;

export const categorySchema = z.enum(CATEGORIES);
export type Category = z.infer<typeof categorySchema>;

/** 1 (low) to 5 (critical). */
export const severitySchema = z.number().int().min(1).max(5);
export type Severity = z.infer<typeof severitySchema>;
