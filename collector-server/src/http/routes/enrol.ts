import { enrolRequestSchema } from '@kestrel/shared/protocol';
import type { FastifyPluginAsync } from 'fastify';
import { enrolDevice } from '../../domain/enrolment.js';
import { parseWith } from '../parse.js';

/** `POST /api/v1/enrol` (CONTRACTS.md): enrolment token in, device identity out. */
export const enrolRoutes: FastifyPluginAsync = async (app) => {
  app.post('/api/v1/enrol', async (request, reply) => {
    const ctx = app.kestrel;
    const body = parseWith(enrolRequestSchema, request.body);
    const { deviceId, deviceToken, schoolId } = await enrolDevice(ctx, body);
    ctx.metrics.enrolments.inc();
    request.log.info({ deviceId, schoolId }, 'device enrolled');
    return reply.code(201).send({ deviceId, deviceToken });
  });
};
