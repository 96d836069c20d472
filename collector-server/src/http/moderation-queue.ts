import { createHash } from 'node:crypto';
import { KestrelError } from '@kestrel/shared/errors';
import { CATEGORIES, captureStatusSchema } from '@kestrel/shared/protocol';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { QueueFilter } from '../adapters/repositories/moderation-queue.js';
import { CAPTURE_VIEWER_ROLES } from '../domain/capture-access.js';
import { canActOnCaptures } from '../domain/moderation/actions.js';
import { decodeCursor, encodeCursor } from '../domain/moderation/queue-cursor.js';
import {
  audit,
  moderationRepos,
  requireTwoFactorReady,
  rolesIn,
  schoolMap,
  viewerSchools,
  visibleQueueCapture,
} from './moderation-access.js';
import { toCaptureItem } from './moderation-view.js';
import { parseWith } from './parse.js';
import { requireStaff, staffOf } from './staff-auth.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');
const text = z.string().trim().max(200);

const filterSchema = z.object({
  status: captureStatusSchema.default('unreviewed'),
  school: z.uuid().optional(),
  category: z.enum(CATEGORIES).optional(),
  severity: z.coerce.number().int().min(1).max(5).optional(),
  machine: text.optional(),
  user: text.optional(),
  from: day.optional(),
  to: day.optional(),
  q: text.optional(),
});

const queueQuerySchema = filterSchema.extend({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(400).optional(),
});

const nonEmpty = (s: string | undefined) => (s === undefined || s === '' ? undefined : s);

/** The request's filters, limited to the schools this user may see. */
export function queueFilter(request: FastifyRequest, query: z.infer<typeof filterSchema>): QueueFilter {
  let schoolIds = viewerSchools(request);
  if (query.school !== undefined) schoolIds = schoolIds.filter((s) => s === query.school);
  const to = query.to === undefined ? undefined : new Date(Date.parse(`${query.to}T00:00:00Z`) + 86_400_000);
  const f: QueueFilter = { schoolIds, status: query.status };
  if (query.category !== undefined) f.category = query.category;
  if (query.severity !== undefined) f.minSeverity = query.severity;
  const machine = nonEmpty(query.machine);
  if (machine !== undefined) f.machine = machine;
  const user = nonEmpty(query.user);
  if (user !== undefined) f.user = user;
  const q = nonEmpty(query.q);
  if (q !== undefined) f.q = q;
  if (query.from !== undefined) f.fromUtc = `${query.from}T00:00:00.000Z`;
  if (to !== undefined && !Number.isNaN(to.getTime())) f.toUtc = to.toISOString();
  return f;
}

/** The moderator's queue: grouped rows in triage order, group members, a live-update head, one capture in full. */
export const moderationQueueRoutes: FastifyPluginAsync = async (app) => {
  const viewer = { preHandler: [requireStaff(CAPTURE_VIEWER_ROLES), requireTwoFactorReady] };

  app.get('/api/v1/queue', viewer, async (request) => {
    const query = parseWith(queueQuerySchema, request.query);
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    if (after === null)
      throw new KestrelError('VALIDATION_FAILED', 'cursor: not a cursor this server issued');
    const repos = moderationRepos(request);
    await repos.queue.assignPendingGroups();
    const filter = queueFilter(request, query);
    const rows = await repos.queue.page(filter, query.limit + 1, after);
    const page = rows.slice(0, query.limit);
    const schools = await schoolMap(request);
    const illegal = page.filter((r) => r.lead.category === 'illegal').map((r) => r.lead.id);
    const revealed = await repos.actions.revealedBy(staffOf(request).user.id, illegal);
    const last = page.at(-1)?.lead;
    await audit(request, 'queue.listed', null, {
      count: page.length,
      status: filter.status,
      schoolIds: filter.schoolIds,
    });
    return {
      items: page.map((r) => ({
        groupKey: r.lead.groupKey ?? r.lead.id,
        count: r.count,
        machineCount: r.machineCount,
        capture: toCaptureItem(r.lead, schools, revealed),
      })),
      nextCursor:
        rows.length > query.limit && last !== undefined
          ? encodeCursor({ severity: last.severity, capturedAt: last.capturedAtUtc, id: last.id })
          : null,
    };
  });

  app.get('/api/v1/queue/groups/:groupKey', viewer, async (request) => {
    const { groupKey } = parseWith(z.strictObject({ groupKey: z.string().min(1).max(64) }), request.params);
    const query = parseWith(filterSchema, request.query);
    const repos = moderationRepos(request);
    const members = await repos.queue.groupMembers(queueFilter(request, query), groupKey);
    const schools = await schoolMap(request);
    const revealed = await repos.actions.revealedBy(
      staffOf(request).user.id,
      members.filter((m) => m.category === 'illegal').map((m) => m.id),
    );
    await audit(request, 'queue.group.listed', null, { groupKey, count: members.length });
    return { items: members.map((m) => toCaptureItem(m, schools, revealed)) };
  });

  // Polled by the UI every few seconds: no capture content, so not audited; 304 until something changes.
  app.get('/api/v1/queue/head', viewer, async (request, reply) => {
    const head = await moderationRepos(request).queue.head(viewerSchools(request));
    const etag = `"${createHash('sha256').update(head).digest('base64url').slice(0, 22)}"`;
    reply.header('etag', etag).header('cache-control', 'private, no-cache');
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return { etag };
  });

  app.get('/api/v1/moderation/captures/:id', viewer, async (request) => {
    const capture = await visibleQueueCapture(request);
    const repos = moderationRepos(request);
    const userId = staffOf(request).user.id;
    const [schools, notes, history, recent, revealed] = await Promise.all([
      schoolMap(request),
      repos.actions.notes(capture.id),
      repos.actions.history(capture.id),
      repos.queue.recentForUser(capture.schoolId, capture.user, capture.id),
      repos.actions.revealedBy(userId, [capture.id]),
    ]);
    const recentRevealed = await repos.actions.revealedBy(
      userId,
      recent.filter((r) => r.category === 'illegal').map((r) => r.id),
    );
    await audit(request, 'capture.viewed', { type: 'capture', id: capture.id, schoolId: capture.schoolId });
    return {
      capture: toCaptureItem(capture, schools, revealed),
      notes: notes.map((n) => ({ id: n.id, author: n.authorEmail, text: n.text, createdAt: n.createdAt })),
      history: history.map((h) => ({
        id: h.id,
        action: h.action,
        actor: h.actorEmail,
        reason: h.reason,
        createdAt: h.createdAt,
        undone: h.undoneAt !== null,
      })),
      recent: recent.map((r) => toCaptureItem(r, schools, recentRevealed)),
      canAct: rolesIn(request, capture.schoolId).some(canActOnCaptures),
    };
  });
};
