import { KestrelError } from '@kestrel/shared/errors';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { subjectAccessSource } from '../adapters/repositories/subject-access.js';
import { zipFiles } from '../adapters/zip/zip-files.js';
import { DEFAULT_RETENTION, retentionPolicySchema } from '../domain/retention/retention-policy.js';
import { buildSubjectAccessPack } from '../domain/retention/subject-access.js';
import { purgeExpired } from '../domain/retention/retention-purge.js';
import { parseWith } from './parse.js';
import { allowedSchools, assertCan, guarded, subjectOf } from './workflow-access.js';
import { workflowServices } from './workflow-services.js';

const schoolParams = z.strictObject({ schoolId: z.string().min(1).max(100) });

/** Each school's retention policy, and a purge on demand (it also runs daily on its own). */
export const retentionRoutes: FastifyPluginAsync = async (app) => {
  app.get('/api/v1/schools/:schoolId/retention', guarded('retention.configure'), async (request) => {
    const { schoolId } = parseWith(schoolParams, request.params);
    assertCan(request, 'retention.configure', schoolId);
    const saved = await workflowServices(app).retention.policy(schoolId);
    return { ...(saved ?? DEFAULT_RETENTION), isDefault: saved === undefined };
  });

  app.put('/api/v1/schools/:schoolId/retention', guarded('retention.configure'), async (request) => {
    const { schoolId } = parseWith(schoolParams, request.params);
    assertCan(request, 'retention.configure', schoolId);
    const policy = parseWith(retentionPolicySchema, request.body);
    const s = workflowServices(app);
    const at = app.kestrel.clock.now().toISOString();
    await s.retention.setPolicy(schoolId, policy, subjectOf(request).userId, at);
    await s.audit.record({
      action: 'retention.policy.changed',
      actorUserId: subjectOf(request).userId,
      targetType: 'school',
      targetId: schoolId,
      schoolId,
      details: policy,
    });
    return { ...policy, isDefault: false };
  });

  app.get(
    '/api/v1/schools/:schoolId/subject-access.zip',
    guarded('subject-access.export'),
    async (request, reply) => {
      const { schoolId } = parseWith(schoolParams, request.params);
      const { user } = parseWith(z.strictObject({ user: z.string().trim().min(1).max(256) }), request.query);
      assertCan(request, 'subject-access.export', schoolId);
      const school = await app.kestrel.storage.schools.get(schoolId);
      if (school === undefined) throw new KestrelError('NOT_FOUND', 'No such school');
      const s = workflowServices(app);
      const files = await buildSubjectAccessPack(
        {
          source: subjectAccessSource(app.kestrel.storage.db, {
            captures: app.kestrel.storage.captures,
            incidents: s.incidentsRepo,
            screenshots: app.kestrel.screenshots,
          }),
          audit: s.audit,
          clock: app.kestrel.clock,
        },
        subjectOf(request),
        school,
        user,
      );
      return reply
        .header('cache-control', 'private, no-store')
        .header('content-disposition', 'attachment; filename="subject-access.zip"')
        .type('application/zip')
        .send(await zipFiles(files, app.kestrel.clock.now()));
    },
  );

  app.post('/api/v1/retention/run', guarded('retention.run'), async (request) => {
    const s = workflowServices(app);
    const schools = new Set(allowedSchools(request, 'retention.run'));
    const result = await purgeExpired({
      // Only the schools this administrator runs.
      store: { ...s.retention, schools: async () => [...schools].map((id) => ({ id })) },
      files: app.kestrel.screenshots,
      audit: s.audit,
      clock: app.kestrel.clock,
    });
    await s.audit.record({
      action: 'retention.run',
      actorUserId: subjectOf(request).userId,
      details: { ...result, schoolIds: [...schools] },
    });
    return result;
  });
};
