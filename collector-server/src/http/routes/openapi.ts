import type { FastifyPluginAsync } from 'fastify';
import { openApiDocument } from '../openapi-document.js';

/** The API description, generated from the same zod schemas that validate requests. */
export const openApiRoutes: FastifyPluginAsync = async (app) => {
  let doc: string | undefined;
  app.get('/api/v1/openapi.json', async (_request, reply) => {
    doc ??= JSON.stringify(openApiDocument());
    return reply.header('cache-control', 'no-cache').type('application/json; charset=utf-8').send(doc);
  });
};
