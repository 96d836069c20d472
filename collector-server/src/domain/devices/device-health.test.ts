import { describe, expect, it } from 'vitest';
import type { Device } from '../../ports/devices-repository.js';
import { deviceRow } from './device-health.js';

const device: Device = {
  id: 'd1',
  schoolId: 'a',
  hostname: 'LAB1-PC07',
  os: 'windows 11',
  agentVersion: '1.0.0',
  tokenHash: 'x',
  enrolmentTokenId: null,
  enrolledAt: '2026-09-01T08:00:00.000Z',
  revokedAt: null,
  lastSeenAt: null,
};
const now = new Date('2026-11-23T12:00:00Z');

describe('device health', () => {
  it('highlights a device that never reported as stale', () => {
    expect(deviceRow(device, undefined, now)).toMatchObject({ stale: true, problems: ['never reported'] });
  });

  it('lists missing permissions, degraded sources, evictions and an old lexicon', () => {
    const row = deviceRow(
      device,
      {
        deviceId: 'd1',
        receivedAt: '2026-11-23T11:58:00.000Z',
        agentVersion: '1.1.0',
        lexiconVersion: 'old',
        queueLength: 3,
        evictions: 2,
        quarantined: 0,
        health: {
          sources: { keyboard: { state: 'ok' }, screenshot: { state: 'unavailable' } },
          missingPermissions: ['screen-recording'],
          evictions: 2,
          quarantined: 0,
          paused: false,
        },
      },
      now,
      'new',
    );
    expect(row).toMatchObject({ stale: false, agentVersion: '1.1.0', queueLength: 3 });
    expect(row.problems).toEqual([
      'missing permission: screen-recording',
      'screenshot unavailable',
      'offline queue dropped captures',
      'lexicon out of date',
    ]);
  });
});
