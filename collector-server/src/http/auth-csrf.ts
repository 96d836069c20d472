import { KestrelError } from '@kestrel/shared/errors';
import type { FastifyRequest } from 'fastify';
import { csrfTokenMatches } from '../domain/moderation/csrf.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every state-changing request made with a staff session cookie must carry `X-CSRF-Token`, the
 * HMAC of the session secret (synchroniser token without storage). SameSite=Strict is the first
 * line; this is the second, for browsers and proxies that do not honour it.
 */
export function assertCsrf(request: FastifyRequest, sessionToken: string): void {
  if (SAFE_METHODS.has(request.method)) return;
  const header = request.headers['x-csrf-token'];
  const presented = Array.isArray(header) ? header[0] : header;
  if (!csrfTokenMatches(sessionToken, presented)) {
    throw new KestrelError('CSRF_FAILED', 'Missing or wrong X-CSRF-Token header; reload the page');
  }
}
