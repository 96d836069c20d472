import { heartbeatRequestSchema } from '@kestrel/shared/protocol';
import type { FastifyPluginAsync } from 'fastify';
import { recordHeartbeat } from '../../domain/heartbeat.js';
import { deviceOf, requireDevice } from '../device-auth.js';
import { parseWith } from '../parse.js';

/** `POST /api/v1/heartbeat` (CONTRACTS.md). */
export const heartbeatRoutes: FastifyPluginAsync = async (app) => {
  app.post('/api/v1/heartbeat', { preHandler: requireDevice('requests') }, async (request, reply) => {
    const body = parseWith(heartbeatRequestSchema, request.body);
    await recordHeartbeat(app.kestrel, deviceOf(request), body);
    app.kestrel.metrics.heartbeats.inc();
    return reply.code(200).send({ ok: true });
  });
};
