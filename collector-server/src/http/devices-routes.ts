import { randomUUID } from 'node:crypto';
import { KestrelError } from '@kestrel/shared/errors';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { deviceRow } from '../domain/devices/device-health.js';
import { hashToken, newToken } from '../domain/secrets.js';
import { parseWith } from './parse.js';
import { assertCan, guarded, subjectOf } from './workflow-access.js';
import { workflowServices } from './workflow-services.js';

/** Stale devices first (no monitoring at all), then by number of problems; revoked ones last. */
const urgency = (d: { stale: boolean; problems: string[]; revokedAt: string | null }) =>
  d.revokedAt !== null ? -1 : (d.stale ? 100 : 0) + d.problems.length;

const schoolParams = z.strictObject({ schoolId: z.string().min(1).max(100) });
const idParams = z.strictObject({ id: z.uuid() });

/** The technician's devices view: health, versions, revocation and new enrolment tokens. */
export const deviceRoutes: FastifyPluginAsync = async (app) => {
  const { storage, clock } = app.kestrel;

  app.get('/api/v1/schools/:schoolId/devices', guarded('device.list'), async (request) => {
    const { schoolId } = parseWith(schoolParams, request.params);
    assertCan(request, 'device.list', schoolId);
    const [devices, heartbeats, policy] = await Promise.all([
      storage.devices.listForSchool(schoolId),
      storage.heartbeats.listForSchool(schoolId),
      app.kestrel.policies.forSchool(schoolId),
    ]);
    const latest = new Map(heartbeats.map((h) => [h.deviceId, h]));
    const now = clock.now();
    // Agents report the lexicon's own version; compare with what the school currently publishes.
    const lexiconVersion = (JSON.parse(policy.body) as { lexicon: { version: string } }).lexicon.version;
    const items = devices
      .map((d) => deviceRow(d, latest.get(d.id), now, lexiconVersion))
      .sort((a, b) => urgency(b) - urgency(a) || a.hostname.localeCompare(b.hostname));
    const tokens = (await storage.enrolmentTokens.listForSchool(schoolId)).map((t) => ({
      id: t.id,
      label: t.label,
      createdAt: t.createdAt,
      expiresAt: t.expiresAt,
      revokedAt: t.revokedAt,
    }));
    return { items, enrolmentTokens: tokens, lexiconVersion };
  });

  app.post('/api/v1/devices/:id/revoke', guarded('device.revoke'), async (request) => {
    const { id } = parseWith(idParams, request.params);
    const device = await storage.devices.get(id);
    if (device === undefined) throw new KestrelError('NOT_FOUND', 'No such device');
    assertCan(request, 'device.revoke', device.schoolId);
    if (device.revokedAt !== null) return { id, revokedAt: device.revokedAt };
    const at = clock.now().toISOString();
    await storage.devices.revoke(id, at);
    await workflowServices(app).audit.record({
      action: 'device.revoked',
      actorUserId: subjectOf(request).userId,
      targetType: 'device',
      targetId: id,
      schoolId: device.schoolId,
      details: { hostname: device.hostname },
    });
    return { id, revokedAt: at };
  });

  app.post(
    '/api/v1/schools/:schoolId/enrolment-tokens',
    guarded('enrolment.issue'),
    async (request, reply) => {
      const { schoolId } = parseWith(schoolParams, request.params);
      assertCan(request, 'enrolment.issue', schoolId);
      const body = parseWith(
        z.strictObject({
          label: z.string().trim().min(1).max(200),
          expiresInDays: z.number().int().min(1).max(3650).nullable().default(30),
        }),
        request.body ?? {},
      );
      const now = clock.now();
      const token = newToken();
      const id = randomUUID();
      await storage.enrolmentTokens.create({
        id,
        schoolId,
        tokenHash: hashToken(token),
        label: body.label,
        createdAt: now.toISOString(),
        expiresAt:
          body.expiresInDays === null
            ? null
            : new Date(now.getTime() + body.expiresInDays * 86_400_000).toISOString(),
        revokedAt: null,
      });
      await workflowServices(app).audit.record({
        action: 'enrolment-token.issued',
        actorUserId: subjectOf(request).userId,
        targetType: 'enrolment-token',
        targetId: id,
        schoolId,
        details: { label: body.label },
      });
      // The token is shown once; only its hash is kept.
      return reply.code(201).send({ id, token, label: body.label });
    },
  );
};
