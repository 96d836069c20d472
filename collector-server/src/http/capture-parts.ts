import { KestrelError } from '@kestrel/shared/errors';
import { SCREENSHOT_MEDIA_TYPES, type ScreenshotMediaType } from '@kestrel/shared/protocol';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type FormPart, MultipartError, formDataBoundary, parseFormData } from './multipart.js';

/** Bytes allowed for the `metadata` part: every field at its limit, JSON-escaped, fits comfortably. */
export const METADATA_MAX_BYTES = 64 * 1024;
/** Part headers and boundaries around the two parts. */
const ENVELOPE_BYTES = 16 * 1024;

export interface CaptureParts {
  /** The metadata part parsed as JSON, not yet validated. */
  metadata: unknown;
  screenshot: { bytes: Buffer; mediaType: ScreenshotMediaType };
}

const isMediaType = (t: string): t is ScreenshotMediaType =>
  (SCREENSHOT_MEDIA_TYPES as readonly string[]).includes(t);

/**
 * Reads `multipart/form-data` bodies into memory for the routes of `app` (registered in the capture
 * route's own scope), at most a screenshot, the metadata and their envelope. The route
 * authenticates in `onRequest`, so nothing is read for an unknown device.
 */
export function acceptCaptureUploads(app: FastifyInstance, maxScreenshotBytes: number): void {
  const limit = maxScreenshotBytes + METADATA_MAX_BYTES + ENVELOPE_BYTES;
  const tooLarge = () =>
    new KestrelError(
      'SCREENSHOT_TOO_LARGE',
      `The upload exceeds what a ${maxScreenshotBytes}-byte screenshot needs`,
    );
  app.addContentTypeParser(
    'multipart/form-data',
    async (request: FastifyRequest, payload: IncomingMessage) => {
      const declared = Number(request.headers['content-length']);
      // A refused upload is still read to its end and thrown away, so that the agent, still
      // sending, gets our 413 rather than a broken connection (which it would retry as a network
      // failure). Past DRAIN_MAX_BYTES it is cut off instead.
      if (declared > DRAIN_MAX_BYTES) {
        payload.destroy();
        throw tooLarge();
      }
      let chunks: Buffer[] | undefined = declared > limit ? undefined : [];
      let total = 0;
      for await (const chunk of payload as AsyncIterable<Buffer>) {
        total += chunk.length;
        if (total > limit) chunks = undefined;
        if (total > DRAIN_MAX_BYTES) break; // leaving the loop destroys the stream
        chunks?.push(chunk);
      }
      if (chunks === undefined) throw tooLarge();
      return Buffer.concat(chunks, total);
    },
  );
}

/** Past this, an oversized upload is cut off rather than read to its end. */
const DRAIN_MAX_BYTES = 64 * 1024 * 1024;

/**
 * The two parts of `POST /api/v1/captures`: `metadata` as a plain field, a field typed
 * `application/json` or a file part (FormData with a Blob), and `screenshot` as a file part of an
 * accepted image type. Any other part, or either one twice, is refused.
 */
export function readCaptureParts(
  contentType: string | undefined,
  body: unknown,
  maxScreenshotBytes: number,
): CaptureParts {
  const boundary = formDataBoundary(contentType);
  if (boundary === undefined || !Buffer.isBuffer(body)) {
    throw new KestrelError(
      'UNSUPPORTED_MEDIA_TYPE',
      'Send multipart/form-data with a metadata part and a screenshot part',
    );
  }
  let parts: FormPart[];
  try {
    parts = parseFormData(body, boundary, 2);
  } catch (err) {
    if (!(err instanceof MultipartError)) throw err;
    throw new KestrelError('BAD_REQUEST', `The multipart body is malformed: ${err.message}`);
  }
  let metadata: { value: unknown } | undefined;
  let screenshot: CaptureParts['screenshot'] | undefined;
  for (const part of parts) {
    if (part.name === 'metadata' && metadata === undefined) {
      if (part.body.length > METADATA_MAX_BYTES) {
        throw new KestrelError('PAYLOAD_TOO_LARGE', `The metadata part exceeds ${METADATA_MAX_BYTES} bytes`);
      }
      metadata = { value: parseJson(part.body.toString('utf8')) };
    } else if (part.name === 'screenshot' && part.filename !== undefined && screenshot === undefined) {
      if (!isMediaType(part.contentType)) {
        throw new KestrelError(
          'UNSUPPORTED_MEDIA_TYPE',
          `The screenshot part must be one of ${SCREENSHOT_MEDIA_TYPES.join(', ')}`,
        );
      }
      if (part.body.length > maxScreenshotBytes) {
        throw new KestrelError('SCREENSHOT_TOO_LARGE', `The screenshot exceeds ${maxScreenshotBytes} bytes`);
      }
      screenshot = { bytes: part.body, mediaType: part.contentType };
    } else {
      throw new KestrelError('BAD_REQUEST', `Unexpected or repeated part "${part.name.slice(0, 100)}"`);
    }
  }
  if (metadata === undefined)
    throw new KestrelError('MULTIPART_PART_MISSING', 'The metadata part is missing');
  if (screenshot === undefined) {
    throw new KestrelError('MULTIPART_PART_MISSING', 'The screenshot part is missing');
  }
  if (screenshot.bytes.length === 0)
    throw new KestrelError('SCREENSHOT_INVALID', 'The screenshot part is empty');
  return { metadata: metadata.value, screenshot };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new KestrelError('BAD_REQUEST', 'The metadata part is not valid JSON');
  }
}
