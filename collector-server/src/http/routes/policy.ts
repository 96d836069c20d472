import type { FastifyPluginAsync } from 'fastify';
import { withSuppressions } from '../../domain/lexicon-admin/device-policy.js';
import { etagMatches } from '../../domain/policy.js';
import { deviceSuppressions } from '../exemptions-routes.js';
import { deviceOf, requireDevice } from '../device-auth.js';

/** `GET /api/v1/policy` (CONTRACTS.md): the school's policy and lexicon, with a strong ETag. */
export const policyRoutes: FastifyPluginAsync = async (app) => {
  app.get('/api/v1/policy', { preHandler: requireDevice('requests') }, async (request, reply) => {
    const device = deviceOf(request);
    // Research exemptions covering this device (issue 7) are merged into its copy of the policy.
    const doc = withSuppressions(
      await app.kestrel.policies.forSchool(device.schoolId),
      await deviceSuppressions(app, device),
    );
    reply.header('etag', doc.etag).header('cache-control', 'no-cache');
    if (etagMatches(request.headers['if-none-match'], doc.etag)) return reply.code(304).send();
    return reply.code(200).type('application/json; charset=utf-8').send(doc.body);
  });
};
