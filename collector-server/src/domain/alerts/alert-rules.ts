import { z } from 'zod';
import { CATEGORIES, categorySchema } from '@kestrel/shared/protocol';
import type { Category } from '@kestrel/shared/protocol';

/** Which captures are urgent in a school. A capture is urgent if either condition holds. */
export const alertRuleSchema = z.strictObject({
  categories: z.array(categorySchema).max(CATEGORIES.length),
  /** Any capture at or above this severity is urgent; 6 disables the severity condition. */
  minSeverity: z.number().int().min(1).max(6),
  /** Optional webhook (POST JSON with ids and links only). */
  webhookUrl: z.url({ protocol: /^https?$/ }).nullable(),
});
export type AlertRule = z.infer<typeof alertRuleSchema>;

/** MISSION.md: the DSL gets suicide, self-harm, grooming and illegal content at once. */
export const DEFAULT_ALERT_RULE: AlertRule = {
  categories: ['suicide', 'self-harm', 'cse', 'illegal'],
  minSeverity: 5,
  webhookUrl: null,
};

export function isUrgent(
  capture: { category: Category; severity: number },
  rule: Pick<AlertRule, 'categories' | 'minSeverity'>,
): boolean {
  return rule.categories.includes(capture.category) || capture.severity >= rule.minSeverity;
}

export const DIGESTS = ['off', 'daily', 'weekly'] as const;
export type Digest = (typeof DIGESTS)[number];

/** One member of staff's alert choices (no row: the defaults for their roles). */
export const alertPreferencesSchema = z.strictObject({
  urgentEmail: z.boolean(),
  digest: z.enum(DIGESTS),
});
export type AlertPreferences = z.infer<typeof alertPreferencesSchema>;

/** DSLs receive urgent alerts and a daily digest unless they opt out; others opt in. */
export function defaultPreferences(roles: readonly string[]): AlertPreferences {
  const dsl = roles.includes('dsl');
  return { urgentEmail: dsl, digest: dsl ? 'daily' : 'off' };
}
