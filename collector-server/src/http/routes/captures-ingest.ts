import { KestrelError } from '@kestrel/shared/errors';
import { captureMetadataSchema } from '@kestrel/shared/protocol';
import type { FastifyPluginAsync } from 'fastify';
import { ingestCapture } from '../../domain/ingest.js';
import { readCaptureParts } from '../capture-parts.js';
import { deviceOf, requireDevice } from '../device-auth.js';
import { parseWith } from '../parse.js';

/** `POST /api/v1/captures` (CONTRACTS.md): 201 for a new capture, 200 for a resend. */
export const captureIngestRoutes: FastifyPluginAsync = async (app) => {
  app.post('/api/v1/captures', { preHandler: requireDevice('captures') }, async (request, reply) => {
    const ctx = app.kestrel;
    const device = deviceOf(request);
    const { metadataText, screenshot } = await readCaptureParts(request, ctx.config.screenshotMaxBytes);
    let json: unknown;
    try {
      json = JSON.parse(metadataText);
    } catch {
      throw new KestrelError('BAD_REQUEST', 'The metadata part is not valid JSON');
    }
    const metadata = parseWith(captureMetadataSchema, json, 'metadata');
    const result = await ingestCapture(ctx, device, metadata, screenshot);
    if (result.created) {
      ctx.metrics.capturesReceived.inc({ category: metadata.category });
      request.log.info(
        { captureId: result.id, deviceId: device.id, category: metadata.category },
        'capture stored',
      );
    } else {
      ctx.metrics.capturesDuplicate.inc();
    }
    return reply.code(result.created ? 201 : 200).send({ id: result.id });
  });
};
