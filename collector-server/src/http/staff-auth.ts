import { KestrelError } from '@kestrel/shared/errors';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { StaffPrincipal } from '../domain/staff-sessions.js';
import type { Role } from '../ports/roles.js';
import { assertCsrf } from './auth-csrf.js';

export const SESSION_COOKIE = 'kestrel_session';

/**
 * preHandler for staff routes: a valid session cookie, and (when `roles` is given) at least one of
 * those roles in at least one school. Per-school checks stay with the route, which knows the school.
 */
export function requireStaff(roles?: readonly Role[]) {
  return async function staffAuth(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const principal = await request.server.kestrel.sessions.resolve(request.cookies[SESSION_COOKIE]);
    if (principal === undefined) throw new KestrelError('UNAUTHENTICATED', 'Sign in first');
    assertCsrf(request, request.cookies[SESSION_COOKIE] ?? '');
    if (roles !== undefined && !principal.memberships.some((m) => roles.includes(m.role))) {
      throw new KestrelError('FORBIDDEN', 'Your role may not do this');
    }
    request.staff = principal;
  };
}

export function staffOf(request: FastifyRequest): StaffPrincipal {
  if (request.staff === undefined) throw new Error('requireStaff hook missing on this route');
  return request.staff;
}
