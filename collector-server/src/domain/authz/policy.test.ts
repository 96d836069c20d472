import { describe, expect, it } from 'vitest';
import { ROLES } from '../../ports/roles.js';
import { ACTIONS } from './actions.js';
import { can, canAnywhere, schoolsWhere } from './policy.js';
import type { Subject } from './policy.js';

const as = (...memberships: Subject['memberships']): Subject => ({ userId: 'u', memberships });

describe('authorisation policy', () => {
  it('keeps technical roles away from capture content and incidents', () => {
    for (const role of ['admin', 'technician'] as const) {
      const s = as({ schoolId: 'a', role });
      for (const action of ACTIONS.filter((a) => a.startsWith('capture.') || a.startsWith('incident.'))) {
        expect(can(s, action, 'a'), `${role} ${action}`).toBe(false);
      }
      expect(can(s, 'device.list', 'a')).toBe(true);
    }
  });

  it('gives governors aggregate figures only', () => {
    const gov = as({ schoolId: 'a', role: 'governor' });
    expect(ACTIONS.filter((a) => can(gov, a, 'a'))).toEqual(['dashboard.aggregate', 'report.aggregate']);
  });

  it('lets the DSL own incidents, alerts and exemptions; the headteacher only read incidents', () => {
    const dsl = as({ schoolId: 'a', role: 'dsl' });
    const head = as({ schoolId: 'a', role: 'headteacher' });
    for (const a of [
      'incident.create',
      'incident.update',
      'incident.hold',
      'exemption.manage',
      'alert.rules',
    ] as const) {
      expect(can(dsl, a, 'a')).toBe(true);
      expect(can(head, a, 'a')).toBe(false);
    }
    expect(can(head, 'incident.view', 'a')).toBe(true);
    expect(can(head, 'capture.view', 'a')).toBe(true);
    expect(can(head, 'capture.moderate', 'a')).toBe(false);
  });

  it('limits every role to the schools it is a member of', () => {
    for (const role of ROLES) {
      const s = as({ schoolId: 'a', role });
      for (const action of ACTIONS) expect(can(s, action, 'b')).toBe(false);
    }
  });

  it('lets a local-authority moderator see several schools and lists exactly those', () => {
    const la = as(
      { schoolId: 'b', role: 'moderator' },
      { schoolId: 'a', role: 'moderator' },
      { schoolId: 'c', role: 'governor' },
    );
    expect(schoolsWhere(la, 'capture.list')).toEqual(['a', 'b']);
    expect(can(la, 'capture.view', 'c')).toBe(false);
    expect(canAnywhere(la, 'dashboard.aggregate')).toBe(true);
    expect(canAnywhere(la, 'incident.view')).toBe(false);
  });

  it('combines roles held in the same school', () => {
    const s = as({ schoolId: 'a', role: 'technician' }, { schoolId: 'a', role: 'governor' });
    expect(can(s, 'device.revoke', 'a')).toBe(true);
    expect(can(s, 'dashboard.aggregate', 'a')).toBe(true);
    expect(can(s, 'dashboard.names', 'a')).toBe(false);
  });
});
