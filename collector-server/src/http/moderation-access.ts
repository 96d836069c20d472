import { KestrelError } from '@kestrel/shared/errors';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { moderationActionsRepository } from '../adapters/repositories/moderation-actions.js';
import { moderationQueueRepository, type QueueCapture } from '../adapters/repositories/moderation-queue.js';
import { staffSecurityRepository } from '../adapters/repositories/staff-security.js';
import { CAPTURE_VIEWER_ROLES, schoolsWithRole } from '../domain/capture-access.js';
import { CAPTURE_ACTOR_ROLES } from '../domain/moderation/actions.js';
import type { School } from '../ports/schools-repository.js';
import { parseWith } from './parse.js';
import { staffOf } from './staff-auth.js';

/** The moderation module's repositories over the app's database. */
export function moderationRepos(request: FastifyRequest) {
  const db = request.server.kestrel.storage.db;
  return {
    queue: moderationQueueRepository(db),
    actions: moderationActionsRepository(db),
    security: staffSecurityRepository(db),
  };
}

export function viewerSchools(request: FastifyRequest): string[] {
  return schoolsWithRole(staffOf(request).memberships, CAPTURE_VIEWER_ROLES);
}

export function actorSchools(request: FastifyRequest): string[] {
  return schoolsWithRole(staffOf(request).memberships, CAPTURE_ACTOR_ROLES);
}

export function rolesIn(request: FastifyRequest, schoolId: string): string[] {
  return staffOf(request)
    .memberships.filter((m) => m.schoolId === schoolId)
    .map((m) => m.role);
}

/**
 * preHandler after requireStaff: a member of staff who can see captures must have enrolled a second
 * factor before any moderation route answers (the UI prompts for enrolment after sign-in).
 */
export async function requireTwoFactorReady(request: FastifyRequest): Promise<void> {
  if (viewerSchools(request).length === 0) return;
  const totp = await staffSecurityRepository(request.server.kestrel.storage.db).totp(
    staffOf(request).user.id,
  );
  if (!totp?.enrolledAt) {
    throw new KestrelError(
      'TOTP_ENROLMENT_REQUIRED',
      'Set up two-factor authentication before viewing captures',
    );
  }
}

const idParams = z.strictObject({ id: z.uuid() });

/** A capture this user may see, or NOT_FOUND (another school's capture is indistinguishable from none). */
export async function visibleQueueCapture(request: FastifyRequest): Promise<QueueCapture> {
  const { id } = parseWith(idParams, request.params);
  const capture = await moderationRepos(request).queue.get(id);
  if (capture === undefined || !viewerSchools(request).includes(capture.schoolId)) {
    throw new KestrelError('NOT_FOUND', 'No such capture');
  }
  return capture;
}

export async function schoolMap(request: FastifyRequest): Promise<Map<string, School>> {
  const schools = await request.server.kestrel.storage.schools.list();
  return new Map(schools.map((s) => [s.id, s]));
}

export function audit(
  request: FastifyRequest,
  action: string,
  target: { type: string; id: string; schoolId: string | null } | null,
  details?: Record<string, unknown>,
): Promise<number> {
  return request.server.kestrel.storage.auditEvents.append({
    at: request.server.kestrel.clock.now().toISOString(),
    actorUserId: staffOf(request).user.id,
    action,
    targetType: target?.type ?? null,
    targetId: target?.id ?? null,
    schoolId: target?.schoolId ?? null,
    ...(details === undefined ? {} : { details }),
  });
}
