import { z } from 'zod';
import { categorySchema, severitySchema } from './categories.js';
import { LIMITS } from './limits.js';
import { boundedText } from './strings.js';

export const CAPTURE_SOURCES = ['typed', 'window-title'] as const;
export const captureSourceSchema = z.enum(CAPTURE_SOURCES);
export type CaptureSource = z.infer<typeof captureSourceSchema>;

/** An ISO 8601 timestamp with an explicit offset (`Z` or `+01:00`), as CONTRACTS.md requires. */
export const isoWithOffsetSchema = z.iso.datetime({ offset: true });

/** The `metadata` part of `POST /api/v1/captures` (CONTRACTS.md). */
export const captureMetadataSchema = z.strictObject({
  captureId: z.uuid(),
  capturedAt: isoWithOffsetSchema,
  machine: boundedText(LIMITS.hostname).min(1),
  user: boundedText(LIMITS.user).min(1),
  source: captureSourceSchema,
  category: categorySchema,
  severity: severitySchema,
  term: boundedText(LIMITS.term).min(1),
  context: boundedText(LIMITS.context),
  windowTitle: boundedText(LIMITS.windowTitle),
  application: boundedText(LIMITS.application),
  url: boundedText(LIMITS.url).optional(),
});
export type CaptureMetadata = z.infer<typeof captureMetadataSchema>;

export const SCREENSHOT_MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type ScreenshotMediaType = (typeof SCREENSHOT_MEDIA_TYPES)[number];

/** `201 {id}` or, for a repeated captureId, `200 {id}`. */
export const captureAcceptedSchema = z.object({ id: z.string().min(1) });
export type CaptureAccepted = z.infer<typeof captureAcceptedSchema>;
