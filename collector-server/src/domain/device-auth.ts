import { KestrelError } from '@kestrel/shared/errors';
import type { Device } from '../ports/devices-repository.js';
import type { Storage } from '../ports/storage.js';
import { hashToken } from './secrets.js';

// The scheme name is case-insensitive (RFC 9110 §11.1); the token itself is not.
const BEARER = /^bearer +([A-Za-z0-9._~+/-]+=*)$/i;

/** Resolves `Authorization: Bearer <deviceToken>` to an enrolled, unrevoked device. */
export async function authenticateDevice(
  storage: Storage,
  authorization: string | undefined,
): Promise<Device> {
  if (authorization === undefined || authorization === '') {
    throw new KestrelError('DEVICE_TOKEN_MISSING', 'Send the device token as Authorization: Bearer <token>');
  }
  const match = BEARER.exec(authorization);
  if (match?.[1] === undefined || match[1].length > 512) {
    throw new KestrelError('DEVICE_TOKEN_INVALID', 'The device token is unknown');
  }
  const device = await storage.devices.findByTokenHash(hashToken(match[1]));
  if (device === undefined) throw new KestrelError('DEVICE_TOKEN_INVALID', 'The device token is unknown');
  if (device.revokedAt !== null) {
    throw new KestrelError('DEVICE_REVOKED', 'This device was revoked; enrol it again');
  }
  return device;
}
