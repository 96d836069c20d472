import { captureMetadataSchema } from '@kestrel/shared/protocol';
import type { FastifyPluginAsync } from 'fastify';
import { ingestCapture } from '../../domain/ingest.js';
import { acceptCaptureUploads, readCaptureParts } from '../capture-parts.js';
import { deviceOf, requireDevice } from '../device-auth.js';
import { parseWith } from '../parse.js';

/** `POST /api/v1/captures` (CONTRACTS.md): 201 for a new capture, 200 for a resend. */
export const captureIngestRoutes: FastifyPluginAsync = async (app) => {
  acceptCaptureUploads(app, app.kestrel.config.screenshotMaxBytes);
  // Authenticated on the headers alone, before any of the body is read.
  app.post('/api/v1/captures', { onRequest: requireDevice('captures') }, async (request, reply) => {
    const ctx = app.kestrel;
    const device = deviceOf(request);
    const parts = readCaptureParts(
      request.headers['content-type'],
      request.body,
      ctx.config.screenshotMaxBytes,
    );
    const metadata = parseWith(captureMetadataSchema, parts.metadata, 'metadata');
    const { screenshot } = parts;
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
