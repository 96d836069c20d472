import { z } from 'zod';
import { LIMITS } from './limits.js';
import { boundedText } from './strings.js';

/** `POST /api/v1/enrol` body. */
export const enrolRequestSchema = z.strictObject({
  enrolmentToken: z.string().min(1).max(LIMITS.enrolmentToken),
  hostname: boundedText(LIMITS.hostname).min(1),
  os: boundedText(LIMITS.os).min(1),
  agentVersion: boundedText(LIMITS.agentVersion).min(1),
});
export type EnrolRequest = z.infer<typeof enrolRequestSchema>;

/** `201 {deviceId, deviceToken}`. */
export const enrolResponseSchema = z.object({
  deviceId: z.string().min(1),
  deviceToken: z.string().min(1),
});
export type EnrolResponse = z.infer<typeof enrolResponseSchema>;
