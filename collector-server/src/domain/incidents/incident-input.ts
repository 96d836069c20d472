import { z } from 'zod';
import { ACTION_KINDS } from './action-kinds.js';
import { ILLEGAL_ANSWERS, INCIDENT_STATUSES, INTENT_ANSWERS, PUPIL_ROLES } from './incident.js';

const text = (max: number) => z.string().trim().max(max);
const isoDate = z.iso.datetime({ offset: true });

/** Opening an incident by hand (from captures: `fromCaptureIds`). */
export const openIncidentSchema = z.strictObject({
  schoolId: z.string().min(1).max(100),
  title: text(200).min(1),
  summary: text(10_000).default(''),
  subjectUser: text(256).nullable().default(null),
  captureIds: z.array(z.string().min(1).max(100)).max(500).default([]),
});
export type OpenIncidentInput = z.input<typeof openIncidentSchema>;

/** Editable fields; absent means unchanged. */
export const updateIncidentSchema = z.strictObject({
  title: text(200).min(1).optional(),
  summary: text(10_000).optional(),
  subjectUser: text(256).nullable().optional(),
  status: z.enum(INCIDENT_STATUSES).exclude(['closed']).optional(),
  ownerUserId: z.string().min(1).max(100).nullable().optional(),
  illegal: z.enum(ILLEGAL_ANSWERS).optional(),
  staffInvolved: z.boolean().nullable().optional(),
  pupilRole: z.enum(PUPIL_ROLES).optional(),
  intent: z.enum(INTENT_ANSWERS).optional(),
  otherPupilsInvolved: z.boolean().nullable().optional(),
});
export type UpdateIncidentInput = z.input<typeof updateIncidentSchema>;

export const recordActionSchema = z.strictObject({
  kind: z.enum(ACTION_KINDS),
  takenAt: isoDate.optional(),
  detail: text(2_000).default(''),
});
export type RecordActionInput = z.input<typeof recordActionSchema>;

export const noteSchema = z.strictObject({ text: text(10_000).min(1) });
export const closeIncidentSchema = z.strictObject({ outcome: text(10_000).min(1) });
export const legalHoldSchema = z.strictObject({ on: z.boolean(), reason: text(1_000).min(1) });
