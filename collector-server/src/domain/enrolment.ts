import { randomUUID } from 'node:crypto';
import { KestrelError } from '@kestrel/shared/errors';
import type { EnrolRequest, EnrolResponse } from '@kestrel/shared/protocol';
import type { Clock } from '../ports/clock.js';
import type { Device } from '../ports/devices-repository.js';
import type { Storage } from '../ports/storage.js';
import { hashToken, newToken } from './secrets.js';

/** Exchanges a school's enrolment token for a device identity; the device token is shown only here. */
export async function enrolDevice(
  deps: { storage: Storage; clock: Clock },
  request: EnrolRequest,
): Promise<EnrolResponse & { schoolId: string }> {
  const now = deps.clock.now();
  const token = await deps.storage.enrolmentTokens.findByHash(hashToken(request.enrolmentToken));
  if (
    token === undefined ||
    token.revokedAt !== null ||
    (token.expiresAt !== null && token.expiresAt <= now.toISOString())
  ) {
    throw new KestrelError('ENROLMENT_TOKEN_INVALID', 'The enrolment token is unknown, revoked or expired');
  }
  const deviceToken = newToken();
  const device: Device = {
    id: randomUUID(),
    schoolId: token.schoolId,
    hostname: request.hostname,
    os: request.os,
    agentVersion: request.agentVersion,
    tokenHash: hashToken(deviceToken),
    enrolmentTokenId: token.id,
    enrolledAt: now.toISOString(),
    revokedAt: null,
    lastSeenAt: now.toISOString(),
  };
  await deps.storage.transaction(async (repos) => {
    await repos.devices.create(device);
    await repos.auditEvents.append({
      at: now.toISOString(),
      actorUserId: null,
      actorDeviceId: device.id,
      action: 'device.enrolled',
      targetType: 'device',
      targetId: device.id,
      schoolId: device.schoolId,
      details: {
        hostname: device.hostname,
        os: device.os,
        agentVersion: device.agentVersion,
        enrolmentTokenId: token.id,
      },
    });
  });
  return { deviceId: device.id, deviceToken, schoolId: device.schoolId };
}
