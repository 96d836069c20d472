import { z } from 'zod';

const days = z.number().int().min(1).max(36_500);

/**
 * How long a school keeps captures, by moderation status, and closed incidents. `null` keeps
 * until changed. Captures that are evidence in an incident are kept while the incident exists; a
 * closed incident expires after `closedIncidentDays` unless it is under legal hold.
 */
export const retentionPolicySchema = z.strictObject({
  dismissedDays: days,
  reviewedDays: days,
  escalatedDays: days,
  /** Unreviewed captures are kept until someone looks at them unless the school sets a limit. */
  unreviewedDays: days.nullable(),
  closedIncidentDays: days.nullable(),
});
export type RetentionPolicy = z.infer<typeof retentionPolicySchema>;

/**
 * Defaults: false positives go quickly (30 days), reviewed captures after a term (90 days),
 * escalated ones and closed incidents after seven years (a common school safeguarding schedule;
 * each school sets its own in its records-retention policy).
 */
export const DEFAULT_RETENTION: RetentionPolicy = {
  dismissedDays: 30,
  reviewedDays: 90,
  escalatedDays: 2_555,
  unreviewedDays: null,
  closedIncidentDays: 2_555,
};

export const CAPTURE_STATUS_RETENTION = {
  dismissed: 'dismissedDays',
  reviewed: 'reviewedDays',
  escalated: 'escalatedDays',
  unreviewed: 'unreviewedDays',
} as const satisfies Record<string, keyof RetentionPolicy>;
export type RetainedStatus = keyof typeof CAPTURE_STATUS_RETENTION;
