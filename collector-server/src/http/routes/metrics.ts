import type { FastifyPluginAsync } from 'fastify';

/** Prometheus scrape endpoint. Counts only: no pupil data, no secrets. */
export const metricsRoutes: FastifyPluginAsync = async (app) => {
  app.get('/metrics', async (_request, reply) =>
    reply.type('text/plain; version=0.0.4; charset=utf-8').send(app.kestrel.metrics.render()),
  );
};
