import { z } from 'zod';
import { lexiconFileSchema } from '../lexicon/schema.js';

export const KEYBOARD_LAYOUTS = ['en-GB', 'en-US'] as const;
export const keyboardLayoutSchema = z.enum(KEYBOARD_LAYOUTS);
export type KeyboardLayout = z.infer<typeof keyboardLayoutSchema>;

/** What the collector tells an agent to do, beside the lexicon. */
export const agentPolicySchema = z.strictObject({
  /** Monitoring paused for this device (e.g. by a research exemption or an administrator). */
  paused: z.boolean().default(false),
  /** The same term in the same window within this period makes one capture. */
  dedupeSeconds: z.number().int().min(1).max(86_400).default(60),
  /** Characters kept on each side of a match as context. */
  contextChars: z.number().int().min(0).max(200).default(80),
  keyboardLayout: keyboardLayoutSchema.default('en-GB'),
  heartbeatSeconds: z.number().int().min(10).max(86_400).default(300),
  policyPollSeconds: z.number().int().min(10).max(86_400).default(900),
  /** Categories suppressed on this device (research exemptions), each until the given time. */
  suppressedCategories: z
    .array(z.strictObject({ category: z.string(), until: z.iso.datetime({ offset: true }) }))
    .default([]),
});
export type AgentPolicy = z.infer<typeof agentPolicySchema>;

/** `GET /api/v1/policy` answer (with an `ETag` header; `304` on `If-None-Match`). */
export const policyResponseSchema = z.strictObject({
  policyVersion: z.string().min(1),
  policy: agentPolicySchema,
  lexicon: lexiconFileSchema,
});
export type PolicyResponse = z.infer<typeof policyResponseSchema>;
