import { KestrelError } from '@kestrel/shared/errors';
import { type CaptureView, captureListQuerySchema } from '@kestrel/shared/protocol';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CAPTURE_VIEWER_ROLES, schoolsWithRole } from '../../domain/capture-access.js';
import { captureMetadataOf } from '../../domain/capture-metadata.js';
import { readThumbnail } from '../../domain/thumbnails.js';
import type { Capture } from '../../ports/captures-repository.js';
import { assertImageViewable } from '../moderation-actions.js';
import { parseWith } from '../parse.js';
import { requireStaff, staffOf } from '../staff-auth.js';

export function toCaptureView(c: Capture): CaptureView {
  return {
    captureId: c.captureId,
    capturedAt: c.capturedAt,
    ...captureMetadataOf(c),
    ...(c.url === undefined ? {} : { url: c.url }),
    id: c.id,
    status: c.status,
    schoolId: c.schoolId,
    deviceId: c.deviceId,
    receivedAt: c.receivedAt,
    width: c.width,
    height: c.height,
    screenshotUrl: `/api/v1/captures/${c.id}/screenshot`,
    thumbnailUrl: `/api/v1/captures/${c.id}/thumbnail`,
  };
}

const cursorSchema = z.tuple([z.string().max(40), z.string().max(64)]);

function decodeCursor(cursor: string): { receivedAt: string; id: string } {
  try {
    const [receivedAt, id] = cursorSchema.parse(
      JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')),
    );
    return { receivedAt, id };
  } catch {
    throw new KestrelError('VALIDATION_FAILED', 'cursor: not a cursor this server issued');
  }
}

const encodeCursor = (c: Capture) => Buffer.from(JSON.stringify([c.receivedAt, c.id])).toString('base64url');

const idParams = z.strictObject({ id: z.uuid() });

/**
 * The capture a signed-in member of staff may see, or NOT_FOUND: a capture in a school where the
 * user holds no capture-viewing role is indistinguishable from one that does not exist.
 */
async function visibleCapture(request: FastifyRequest): Promise<Capture> {
  const { id } = parseWith(idParams, request.params);
  const capture = await request.server.kestrel.storage.captures.get(id);
  const allowed = schoolsWithRole(staffOf(request).memberships, CAPTURE_VIEWER_ROLES);
  if (capture === undefined || !allowed.includes(capture.schoolId)) {
    throw new KestrelError('NOT_FOUND', 'No such capture');
  }
  return capture;
}

/** Read access to captures for staff; every read is audited (who saw what, when). */
export const captureStaffRoutes: FastifyPluginAsync = async (app) => {
  const viewer = { preHandler: requireStaff(CAPTURE_VIEWER_ROLES) };

  const audit = (
    request: FastifyRequest,
    action: string,
    capture: Capture | null,
    details?: Record<string, unknown>,
  ) =>
    app.kestrel.storage.auditEvents.append({
      at: app.kestrel.clock.now().toISOString(),
      actorUserId: staffOf(request).user.id,
      action,
      targetType: capture === null ? null : 'capture',
      targetId: capture?.id ?? null,
      schoolId: capture?.schoolId ?? null,
      ...(details === undefined ? {} : { details }),
    });

  app.get('/api/v1/captures', viewer, async (request) => {
    const query = parseWith(captureListQuerySchema, request.query);
    let schoolIds = schoolsWithRole(staffOf(request).memberships, CAPTURE_VIEWER_ROLES);
    if (query.schoolId !== undefined) schoolIds = schoolIds.filter((s) => s === query.schoolId);
    const rows = await app.kestrel.storage.captures.list({
      schoolIds,
      limit: query.limit + 1,
      ...(query.status === undefined ? {} : { status: query.status }),
      ...(query.cursor === undefined ? {} : { after: decodeCursor(query.cursor) }),
    });
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    await audit(request, 'captures.listed', null, {
      count: items.length,
      status: query.status ?? null,
      schoolIds,
    });
    return {
      items: items.map(toCaptureView),
      nextCursor: rows.length > query.limit && last !== undefined ? encodeCursor(last) : null,
    };
  });

  app.get('/api/v1/captures/:id', viewer, async (request) => {
    const capture = await visibleCapture(request);
    await audit(request, 'capture.viewed', capture);
    return toCaptureView(capture);
  });

  for (const kind of ['screenshot', 'thumbnail'] as const) {
    app.get(`/api/v1/captures/:id/${kind}`, viewer, async (request, reply) => {
      const capture = await visibleCapture(request);
      await assertImageViewable(request, capture, kind);
      const bytes =
        kind === 'screenshot'
          ? await app.kestrel.screenshots.get(capture.screenshotSha256)
          : await readThumbnail(app.kestrel, capture);
      if (bytes === undefined)
        throw new KestrelError('NOT_FOUND', `The ${kind} file is missing from the store`);
      await audit(request, `capture.${kind}.viewed`, capture);
      return reply
        .header('cache-control', 'private, no-store')
        .header('content-disposition', 'inline')
        .type(kind === 'screenshot' ? capture.screenshotMediaType : capture.thumbnailMediaType)
        .send(bytes);
    });
  }
};
