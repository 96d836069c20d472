import type { FastifyReply, FastifyRequest } from 'fastify';
import { authenticateDevice } from '../domain/device-auth.js';
import { rateLimited } from './rate-limited.js';

/**
 * Hook for agent routes (`onRequest` where the body is large, so it is read only for a known device): resolves the device token to `request.device` and applies the
 * per-device rate limit of the route's class (`captures` or other `requests`).
 */
export function requireDevice(limit: 'captures' | 'requests') {
  return async function deviceAuth(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const ctx = request.server.kestrel;
    const device = await authenticateDevice(ctx.storage, request.headers.authorization);
    const retryAfter = ctx.limits[limit].take(device.id);
    if (retryAfter > 0) throw rateLimited('Too many requests from this device', retryAfter);
    request.device = device;
  };
}

/** The device set by `requireDevice` (a programming error if the hook is missing). */
export function deviceOf(request: FastifyRequest) {
  if (request.device === undefined) throw new Error('requireDevice hook missing on this route');
  return request.device;
}
