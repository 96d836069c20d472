import { describe, expect, it } from 'vitest';
import { grantExemptionSchema, hostnameMatches, suppressionsFor } from './exemption.js';
import type { Exemption } from './exemption.js';

const base: Exemption = {
  id: 'e1',
  schoolId: 'a',
  categories: ['drugs'],
  deviceIds: [],
  hostnamePattern: 'SCI-LAB-*',
  reason: 'Year 9 science: drugs and the nervous system',
  grantedBy: 'dsl',
  startsAt: '2026-11-20T08:00:00.000Z',
  expiresAt: '2026-11-27T16:00:00.000Z',
  revokedAt: null,
  revokedBy: null,
};
const now = new Date('2026-11-23T10:00:00Z');

describe('research exemptions', () => {
  it('covers devices by hostname pattern or id, only while active', () => {
    expect(hostnameMatches('SCI-LAB-*', 'sci-lab-pc07')).toBe(true);
    expect(hostnameMatches('SCI-LAB-*', 'LIBRARY-PC01')).toBe(false);
    const list = [
      base,
      {
        ...base,
        id: 'e2',
        categories: ['drugs' as const, 'discrimination' as const],
        hostnamePattern: null,
        deviceIds: ['d9'],
        expiresAt: '2026-12-01T00:00:00.000Z',
      },
      { ...base, id: 'e3', categories: ['gambling' as const], revokedAt: '2026-11-22T00:00:00.000Z' },
      { ...base, id: 'e4', categories: ['violence' as const], startsAt: '2026-11-24T00:00:00.000Z' },
    ];
    expect(suppressionsFor(list, { id: 'd1', hostname: 'SCI-LAB-PC01' }, now)).toEqual([
      { category: 'drugs', until: base.expiresAt },
    ]);
    expect(suppressionsFor(list, { id: 'd9', hostname: 'SCI-LAB-PC09' }, now)).toEqual([
      { category: 'discrimination', until: '2026-12-01T00:00:00.000Z' },
      { category: 'drugs', until: '2026-12-01T00:00:00.000Z' },
    ]);
    expect(
      suppressionsFor(list, { id: 'd1', hostname: 'SCI-LAB-PC01' }, new Date('2026-11-28T00:00:00Z')),
    ).toEqual([]);
  });

  it('refuses the urgent categories, vague reasons and unnamed devices', () => {
    const ok = {
      categories: ['drugs'],
      hostnamePattern: 'SCI-LAB-*',
      reason: 'Year 9 drugs education unit',
      expiresAt: '2026-11-27T16:00:00Z',
    };
    expect(grantExemptionSchema.safeParse(ok).success).toBe(true);
    expect(grantExemptionSchema.safeParse({ ...ok, categories: ['suicide'] }).success).toBe(false);
    expect(grantExemptionSchema.safeParse({ ...ok, reason: 'lesson' }).success).toBe(false);
    expect(grantExemptionSchema.safeParse({ ...ok, hostnamePattern: null }).success).toBe(false);
    expect(grantExemptionSchema.safeParse({ ...ok, hostnamePattern: '*' }).success).toBe(false);
  });
});
