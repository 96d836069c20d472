import { KestrelError } from '@kestrel/shared/errors';
import { enrolRequestSchema } from '@kestrel/shared/protocol';
import type { FastifyPluginAsync } from 'fastify';
import { enrolDevice } from '../../domain/enrolment.js';
import { parseWith } from '../parse.js';
import { rateLimited } from '../rate-limited.js';

/**
 * `POST /api/v1/enrol` (CONTRACTS.md): enrolment token in, device identity out. Limited per client
 * address (`request.ip`, the proxy's client with TRUST_PROXY): enrolments in all, generously, since a
 * school's machines often share one address; refused tokens tightly, so guessing gets nowhere.
 */
export const enrolRoutes: FastifyPluginAsync = async (app) => {
  app.post('/api/v1/enrol', async (request, reply) => {
    const ctx = app.kestrel;
    const { enrolments, enrolmentFailures } = ctx.limits;
    const wait = Math.max(enrolmentFailures.peek(request.ip), enrolments.take(request.ip));
    if (wait > 0) throw rateLimited('Too many enrolments from this address', wait);
    const body = parseWith(enrolRequestSchema, request.body);
    let enrolled;
    try {
      enrolled = await enrolDevice(ctx, body);
    } catch (err) {
      if (err instanceof KestrelError && err.code === 'ENROLMENT_TOKEN_INVALID')
        enrolmentFailures.take(request.ip);
      throw err;
    }
    const { deviceId, deviceToken, schoolId } = enrolled;
    ctx.metrics.enrolments.inc();
    request.log.info({ deviceId, schoolId }, 'device enrolled');
    return reply.code(201).send({ deviceId, deviceToken });
  });
};
