import { randomUUID } from 'node:crypto';
import { KestrelError } from '@kestrel/shared/errors';
import { captureStatusSchema } from '@kestrel/shared/protocol';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import sharp from 'sharp';
import { z } from 'zod';
import type { QueueCapture } from '../adapters/repositories/moderation-queue.js';
import { CAPTURE_VIEWER_ROLES } from '../domain/capture-access.js';
import {
  ACTION_STATUS,
  BULK_MAX,
  CAPTURE_ACTOR_ROLES,
  type CaptureStatus,
  MODERATION_ACTIONS,
  mayTransition,
  NOTE_MAX,
  REASON_MAX,
  undoRefusal,
} from '../domain/moderation/actions.js';
import {
  actorSchools,
  audit,
  moderationRepos,
  requireTwoFactorReady,
  rolesIn,
  viewerSchools,
  visibleQueueCapture,
} from './moderation-access.js';
import { parseWith } from './parse.js';
import { requireStaff, staffOf } from './staff-auth.js';

const actionBodySchema = z.strictObject({
  action: z.enum(MODERATION_ACTIONS),
  captureIds: z.array(z.uuid()).max(BULK_MAX).default([]),
  groupKeys: z.array(z.string().min(1).max(64)).max(100).default([]),
  /** Group members are acted on only while in this status (the queue's status filter). */
  groupStatus: captureStatusSchema.default('unreviewed'),
  reason: z.string().trim().max(REASON_MAX).optional(),
  suggestException: z.string().trim().max(REASON_MAX).optional(),
});

const PAST: Record<string, string> = { dismiss: 'dismissed', review: 'reviewed', escalate: 'escalated' };

/** The captures an action names, each one visible to and actionable by this user, or an error. */
async function resolveTargets(
  request: FastifyRequest,
  body: z.infer<typeof actionBodySchema>,
): Promise<QueueCapture[]> {
  const repos = moderationRepos(request);
  const visible = new Set(viewerSchools(request));
  const actable = actorSchools(request);
  const found = await repos.queue.getMany(body.captureIds);
  if (found.length !== new Set(body.captureIds).size || found.some((c) => !visible.has(c.schoolId))) {
    throw new KestrelError('NOT_FOUND', 'No such capture');
  }
  const byId = new Map(found.map((c) => [c.id, c]));
  for (const key of body.groupKeys) {
    const members = await repos.queue.groupMembers(
      { schoolIds: actable, status: body.groupStatus },
      key,
      BULK_MAX + 1,
    );
    for (const m of members) byId.set(m.id, m);
  }
  if (byId.size > BULK_MAX) {
    throw new KestrelError('VALIDATION_FAILED', `At most ${BULK_MAX} captures in one action`);
  }
  const targets = [...byId.values()];
  if (targets.length === 0) throw new KestrelError('NOT_FOUND', 'Nothing to act on');
  for (const t of targets) {
    const roles = rolesIn(request, t.schoolId);
    if (!actable.includes(t.schoolId))
      throw new KestrelError('FORBIDDEN', 'Your role may not triage captures');
    const role = roles.includes('dsl') ? 'dsl' : 'moderator';
    if (!mayTransition(t.status as CaptureStatus, body.action, role)) {
      throw new KestrelError('FORBIDDEN', 'Escalated captures are the safeguarding lead’s to change');
    }
  }
  return targets;
}

/** Triage: dismiss, reviewed, escalate (one, a selection or whole groups), undo, notes, reveals. */
export const moderationActionRoutes: FastifyPluginAsync = async (app) => {
  const actor = { preHandler: [requireStaff(CAPTURE_ACTOR_ROLES), requireTwoFactorReady] };
  const viewer = { preHandler: [requireStaff(CAPTURE_VIEWER_ROLES), requireTwoFactorReady] };

  app.post('/api/v1/moderation/actions', actor, async (request) => {
    const body = parseWith(actionBodySchema, request.body);
    if (body.action === 'escalate' && !body.reason) {
      throw new KestrelError('VALIDATION_FAILED', 'reason: say why you are escalating');
    }
    const targets = await resolveTargets(request, body);
    const repos = moderationRepos(request);
    const user = staffOf(request).user;
    const at = app.kestrel.clock.now().toISOString();
    const id = randomUUID();
    const status = ACTION_STATUS[body.action];
    await repos.actions.apply({
      id,
      actorUserId: user.id,
      action: body.action,
      reason: body.reason || null,
      at,
      newStatus: status,
      targets: targets.map((t) => ({ id: t.id, schoolId: t.schoolId, status: t.status })),
    });
    if (body.action === 'dismiss' && body.suggestException) {
      // One suggestion per phrase per school, however many captures it covered.
      const seen = new Set<string>();
      for (const t of targets) {
        const key = `${t.schoolId}|${t.category}|${t.term}`;
        if (seen.has(key)) continue;
        seen.add(key);
        await repos.actions.suggestException({
          id: randomUUID(),
          schoolId: t.schoolId,
          captureId: t.id,
          category: t.category,
          term: t.term,
          suggestion: body.suggestException,
          suggestedBy: user.id,
          at,
        });
      }
    }
    const schools = [...new Set(targets.map((t) => t.schoolId))];
    await audit(
      request,
      `captures.${PAST[body.action] ?? body.action}`,
      { type: 'moderation_action', id, schoolId: schools.length === 1 ? (schools[0] ?? null) : null },
      {
        captureIds: targets.map((t) => t.id),
        groupKeys: body.groupKeys,
        reason: body.reason ?? null,
        suggestException: body.suggestException ?? null,
      },
    );
    return { actionId: id, affected: targets.length, status };
  });

  app.post('/api/v1/moderation/actions/:id/undo', actor, async (request) => {
    const { id } = parseWith(z.strictObject({ id: z.uuid() }), request.params);
    const repos = moderationRepos(request);
    const user = staffOf(request).user;
    const action = await repos.actions.get(id);
    if (action === undefined || action.actorUserId !== user.id)
      throw new KestrelError('NOT_FOUND', 'No such action');
    const now = app.kestrel.clock.now();
    const refusal = undoRefusal(
      {
        actorId: action.actorUserId,
        createdAtMs: Date.parse(action.createdAt),
        undone: action.undoneAt !== null,
      },
      user.id,
      now.getTime(),
    );
    if (refusal !== null) throw new KestrelError('CONFLICT', refusal);
    const restored = await repos.actions.undo(id, now.toISOString());
    await audit(
      request,
      'moderation.action.undone',
      { type: 'moderation_action', id, schoolId: null },
      { restored },
    );
    return { restored };
  });

  app.post('/api/v1/captures/:id/notes', actor, async (request, reply) => {
    const capture = await visibleQueueCapture(request);
    if (!actorSchools(request).includes(capture.schoolId)) {
      throw new KestrelError('FORBIDDEN', 'Your role may not add notes here');
    }
    const { text } = parseWith(
      z.strictObject({ text: z.string().trim().min(1).max(NOTE_MAX) }),
      request.body,
    );
    const id = randomUUID();
    const at = app.kestrel.clock.now().toISOString();
    await moderationRepos(request).actions.addNote({
      id,
      captureId: capture.id,
      schoolId: capture.schoolId,
      authorUserId: staffOf(request).user.id,
      text,
      at,
    });
    await audit(
      request,
      'capture.note.added',
      { type: 'capture', id: capture.id, schoolId: capture.schoolId },
      { noteId: id },
    );
    return reply.code(201).send({ id, author: staffOf(request).user.email, text, createdAt: at });
  });

  app.post('/api/v1/captures/:id/reveal', viewer, async (request) => {
    const capture = await visibleQueueCapture(request);
    const { reason } = parseWith(
      z.strictObject({ reason: z.string().trim().min(1).max(REASON_MAX) }),
      request.body,
    );
    if (capture.category !== 'illegal')
      throw new KestrelError('CONFLICT', 'Only illegal-content captures are hidden');
    await moderationRepos(request).actions.recordReveal(
      capture.id,
      staffOf(request).user.id,
      reason,
      app.kestrel.clock.now().toISOString(),
    );
    await audit(
      request,
      'capture.revealed',
      { type: 'capture', id: capture.id, schoolId: capture.schoolId },
      { reason },
    );
    return { revealed: true };
  });

  // A 24-pixel-wide version, blurred again: shows that an image exists, never what it shows.
  app.get('/api/v1/captures/:id/screenshot/blurred', viewer, async (request, reply) => {
    const capture = await visibleQueueCapture(request);
    const bytes = await app.kestrel.screenshots.get(capture.screenshotSha256);
    if (bytes === undefined)
      throw new KestrelError('NOT_FOUND', 'The screenshot file is missing from the store');
    const blurred = await sharp(bytes).resize({ width: 24 }).blur(1.5).png().toBuffer();
    await audit(request, 'capture.screenshot.blurred.viewed', {
      type: 'capture',
      id: capture.id,
      schoolId: capture.schoolId,
    });
    return reply.header('cache-control', 'private, no-store').type('image/png').send(blurred);
  });

  app.get(
    '/api/v1/moderation/exception-suggestions',
    { preHandler: requireStaff(['admin', 'dsl', 'moderator']) },
    async (request) => {
      const { school } = parseWith(z.object({ school: z.uuid() }), request.query);
      if (!staffOf(request).memberships.some((m) => m.schoolId === school)) {
        throw new KestrelError('NOT_FOUND', 'No such school');
      }
      const rows = await moderationRepos(request).actions.suggestions(school);
      return {
        items: rows.map((r) => ({
          id: r.id,
          captureId: r.capture_id,
          category: r.category,
          term: r.term,
          suggestion: r.suggestion,
          createdAt: r.created_at,
          status: r.status,
        })),
      };
    },
  );
};

/**
 * Guard for the core screenshot and thumbnail routes: an illegal-category capture never has a
 * thumbnail, and its screenshot is sent only to a user who recorded a reveal with a reason.
 */
export async function assertImageViewable(
  request: FastifyRequest,
  capture: { id: string; category: string },
  kind: 'screenshot' | 'thumbnail',
): Promise<void> {
  if (capture.category !== 'illegal') return;
  if (kind === 'thumbnail')
    throw new KestrelError('REVEAL_REQUIRED', 'Illegal-content captures have no thumbnail');
  const revealed = await moderationRepos(request).actions.revealedBy(staffOf(request).user.id, [capture.id]);
  if (!revealed.has(capture.id)) {
    throw new KestrelError('REVEAL_REQUIRED', 'Record a reason to reveal this illegal-content capture first');
  }
}
