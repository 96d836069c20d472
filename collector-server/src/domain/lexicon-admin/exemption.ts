import { z } from 'zod';
import { categorySchema } from '@kestrel/shared/protocol';
import type { Category } from '@kestrel/shared/protocol';

/**
 * Categories a research exemption may never switch off: the urgent ones. A lesson on drugs or
 * racism may need quiet; a pupil at risk of suicide or grooming in that lesson must still be seen.
 */
export const NEVER_EXEMPT: readonly Category[] = ['illegal', 'cse', 'suicide', 'self-harm'];

/** The longest exemption: a half-term. Longer studies are granted again, with a fresh reason. */
export const MAX_EXEMPTION_DAYS = 56;

export interface Exemption {
  id: string;
  schoolId: string;
  categories: Category[];
  /** Devices by id, and/or by hostname pattern (`SCI-LAB-*`, `*` any run of characters). */
  deviceIds: string[];
  hostnamePattern: string | null;
  reason: string;
  grantedBy: string;
  startsAt: string;
  expiresAt: string;
  revokedAt: string | null;
  revokedBy: string | null;
}

export const grantExemptionSchema = z
  .strictObject({
    categories: z
      .array(categorySchema)
      .min(1)
      .max(12)
      .refine((cs) => !cs.some((c) => NEVER_EXEMPT.includes(c)), {
        message: `${NEVER_EXEMPT.join(', ')} can never be exempted`,
      }),
    deviceIds: z.array(z.uuid()).max(500).default([]),
    hostnamePattern: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9*._-]{1,64}$/, 'letters, digits, . _ - and * only')
      .refine((p) => p.replace(/\*/g, '').length >= 2, 'too broad: name at least two characters')
      .nullable()
      .default(null),
    reason: z.string().trim().min(10, 'say why (at least 10 characters)').max(1000),
    startsAt: z.iso.datetime({ offset: true }).optional(),
    expiresAt: z.iso.datetime({ offset: true }),
  })
  .refine((e) => e.deviceIds.length > 0 || e.hostnamePattern !== null, {
    message: 'name the devices (ids or a hostname pattern)',
    path: ['deviceIds'],
  });
export type GrantExemptionInput = z.input<typeof grantExemptionSchema>;

export function hostnameMatches(pattern: string, hostname: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.]/g, '\\.').replace(/\*/g, '.*')}$`, 'i');
  return re.test(hostname);
}

export function exemptionState(e: Exemption, now: Date): 'scheduled' | 'active' | 'expired' | 'revoked' {
  if (e.revokedAt !== null) return 'revoked';
  const t = now.getTime();
  if (Date.parse(e.expiresAt) <= t) return 'expired';
  if (Date.parse(e.startsAt) > t) return 'scheduled';
  return 'active';
}

/**
 * What a device's agent must suppress now: one entry per category with the latest expiry of the
 * active exemptions covering the device (the agent also stops on `until` by itself).
 */
export function suppressionsFor(
  exemptions: readonly Exemption[],
  device: { id: string; hostname: string },
  now: Date,
): { category: string; until: string }[] {
  const until = new Map<string, string>();
  for (const e of exemptions) {
    if (exemptionState(e, now) !== 'active') continue;
    const covers =
      e.deviceIds.includes(device.id) ||
      (e.hostnamePattern !== null && hostnameMatches(e.hostnamePattern, device.hostname));
    if (!covers) continue;
    for (const c of e.categories) {
      const current = until.get(c);
      if (current === undefined || current < e.expiresAt) until.set(c, e.expiresAt);
    }
  }
  return [...until].sort(([a], [b]) => a.localeCompare(b)).map(([category, u]) => ({ category, until: u }));
}
