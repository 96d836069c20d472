import type { FastifyPluginAsync } from 'fastify';
import { etagMatches } from '../../domain/policy.js';
import { deviceOf, requireDevice } from '../device-auth.js';

/** `GET /api/v1/policy` (CONTRACTS.md): the school's policy and lexicon, with a strong ETag. */
export const policyRoutes: FastifyPluginAsync = async (app) => {
  app.get('/api/v1/policy', { preHandler: requireDevice('requests') }, async (request, reply) => {
    const doc = await app.kestrel.policies.forSchool(deviceOf(request).schoolId);
    reply.header('etag', doc.etag).header('cache-control', 'no-cache');
    if (etagMatches(request.headers['if-none-match'], doc.etag)) return reply.code(304).send();
    return reply.code(200).type('application/json; charset=utf-8').send(doc.body);
  });
};
