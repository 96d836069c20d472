import { KestrelError } from '@kestrel/shared/errors';
import type { FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import type { Action } from '../domain/authz/actions.js';
import { can, canAnywhere, schoolsWhere } from '../domain/authz/policy.js';
import type { Subject } from '../domain/authz/policy.js';
import { requireTwoFactorReady } from './moderation-access.js';
import { requireStaff, staffOf } from './staff-auth.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The policy action a workflow route performs (read by the authorisation matrix test). */
    action?: Action;
  }
}

export function subjectOf(request: FastifyRequest): Subject {
  const staff = staffOf(request);
  return { userId: staff.user.id, memberships: staff.memberships };
}

/**
 * Options for a workflow route: a staff session (with CSRF on writes), a second factor for staff
 * who see captures, and the action allowed in at least one school. The route then checks the
 * school of the thing it touches with `assertCan`.
 */
export function guarded(action: Action): RouteShorthandOptions {
  return {
    config: { action },
    preHandler: [
      requireStaff(),
      requireTwoFactorReady,
      async (request: FastifyRequest, _reply: FastifyReply) => {
        if (!canAnywhere(subjectOf(request), action)) {
          throw new KestrelError('FORBIDDEN', `Your role may not ${action}`);
        }
      },
    ],
  };
}

/**
 * The school-level check. Someone with no role at all in the school gets NOT_FOUND (another
 * school's records are indistinguishable from none); a member whose role lacks the action gets
 * FORBIDDEN.
 */
export function assertCan(request: FastifyRequest, action: Action, schoolId: string): void {
  const subject = subjectOf(request);
  if (can(subject, action, schoolId)) return;
  if (subject.memberships.some((m) => m.schoolId === schoolId)) {
    throw new KestrelError('FORBIDDEN', `Your role may not ${action} in this school`);
  }
  throw new KestrelError('NOT_FOUND', 'No such school');
}

export function allowedSchools(request: FastifyRequest, action: Action, only?: string): string[] {
  const ids = schoolsWhere(subjectOf(request), action);
  return only === undefined ? ids : ids.filter((s) => s === only);
}
