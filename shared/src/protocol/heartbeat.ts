import { z } from 'zod';
import { LIMITS } from './limits.js';
import { boundedText } from './strings.js';

export const SOURCE_STATES = ['ok', 'degraded', 'unavailable', 'disabled'] as const;
export const sourceStateSchema = z.enum(SOURCE_STATES);
export type SourceState = z.infer<typeof sourceStateSchema>;

/** Health of one agent source (keyboard, window, screenshot, …). */
export const sourceHealthSchema = z.strictObject({
  state: sourceStateSchema,
  detail: boundedText(LIMITS.healthDetail).optional(),
});
export type SourceHealth = z.infer<typeof sourceHealthSchema>;

/** OS permissions the agent needs and may lack (macOS Accessibility and Screen Recording). */
export const PERMISSIONS = ['accessibility', 'screen-recording'] as const;
export const permissionSchema = z.enum(PERMISSIONS);

export const healthSchema = z.strictObject({
  /** Keyed by source name: `keyboard`, `window`, `screenshot`, … (at most 16). */
  sources: z
    .record(z.string().regex(/^[a-z][a-z0-9-]{0,31}$/), sourceHealthSchema)
    .refine((r) => Object.keys(r).length <= 16, 'at most 16 sources'),
  missingPermissions: z.array(permissionSchema).max(PERMISSIONS.length).default([]),
  /** Captures dropped by the offline queue's bound since the agent was installed. */
  evictions: z.number().int().min(0).default(0),
  /** Corrupt queue entries moved aside since the agent was installed. */
  quarantined: z.number().int().min(0).default(0),
  /** Which screenshot adapter is in use (`screenshot-desktop`, `desktop-capturer`). */
  screenshotAdapter: boundedText(64).optional(),
  paused: z.boolean().default(false),
});
export type Health = z.infer<typeof healthSchema>;

/** `POST /api/v1/heartbeat` body. */
export const heartbeatRequestSchema = z.strictObject({
  agentVersion: boundedText(LIMITS.agentVersion).min(1),
  lexiconVersion: boundedText(LIMITS.lexiconVersion),
  queueLength: z.number().int().min(0),
  health: healthSchema,
});
export type HeartbeatRequest = z.infer<typeof heartbeatRequestSchema>;
