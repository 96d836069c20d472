import { KestrelError } from '@kestrel/shared/errors';
import type { FastifyPluginAsync } from 'fastify';

/** Liveness (the process answers) and readiness (the database answers; not shutting down). */
export const healthRoutes: FastifyPluginAsync = async (app) => {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async () => {
    if (app.kestrel.closing) throw new KestrelError('NOT_READY', 'Shutting down');
    try {
      await app.kestrel.storage.ping();
    } catch (err) {
      throw new KestrelError('NOT_READY', 'The database is unreachable', { cause: err });
    }
    return { status: 'ready' };
  });
};
