import { z } from 'zod';
import { captureMetadataSchema } from './capture.js';

/** `POST /api/v1/session` body. */
export const sessionRequestSchema = z.strictObject({
  email: z.string().min(1).max(320),
  password: z.string().min(1).max(1024),
  totp: z
    .string()
    .regex(/^\d{6}$/, 'must be six digits')
    .optional(),
});
export type SessionRequest = z.infer<typeof sessionRequestSchema>;

export const CAPTURE_STATUSES = ['unreviewed', 'dismissed', 'reviewed', 'escalated'] as const;
export const captureStatusSchema = z.enum(CAPTURE_STATUSES);
export type CaptureStatusValue = z.infer<typeof captureStatusSchema>;

/** `GET /api/v1/captures` query. */
export const captureListQuerySchema = z.strictObject({
  status: captureStatusSchema.optional(),
  schoolId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
export type CaptureListQuery = z.infer<typeof captureListQuerySchema>;

/** One capture as staff see it: the agent's metadata plus what the collector knows. */
export const captureViewSchema = captureMetadataSchema.extend({
  id: z.string(),
  status: captureStatusSchema,
  schoolId: z.string(),
  deviceId: z.string(),
  receivedAt: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  screenshotUrl: z.string(),
  thumbnailUrl: z.string(),
});
export type CaptureView = z.infer<typeof captureViewSchema>;

export const captureListSchema = z.object({
  items: z.array(captureViewSchema),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type CaptureList = z.infer<typeof captureListSchema>;
