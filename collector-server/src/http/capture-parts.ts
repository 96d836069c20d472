import { KestrelError } from '@kestrel/shared/errors';
import { SCREENSHOT_MEDIA_TYPES, type ScreenshotMediaType } from '@kestrel/shared/protocol';
import type { FastifyRequest } from 'fastify';

/** Bytes allowed for the `metadata` part: every field at its limit, JSON-escaped, fits comfortably. */
export const METADATA_MAX_BYTES = 64 * 1024;

export interface CaptureParts {
  /** The metadata part parsed as JSON, not yet validated. */
  metadata: unknown;
  screenshot: { bytes: Buffer; mediaType: ScreenshotMediaType };
}

const isMediaType = (t: string): t is ScreenshotMediaType =>
  (SCREENSHOT_MEDIA_TYPES as readonly string[]).includes(t);

const tooLarge = () =>
  new KestrelError('PAYLOAD_TOO_LARGE', `The metadata part exceeds ${METADATA_MAX_BYTES} bytes`);

/**
 * Reads the two parts of `POST /api/v1/captures` into memory, bounded. `metadata` may come as a
 * plain field, a field typed `application/json` (parsed by the plugin) or a file part (FormData
 * with a Blob); any other part is refused.
 */
export async function readCaptureParts(
  request: FastifyRequest,
  maxScreenshotBytes: number,
): Promise<CaptureParts> {
  if (!request.isMultipart()) {
    throw new KestrelError(
      'UNSUPPORTED_MEDIA_TYPE',
      'Send multipart/form-data with a metadata part and a screenshot part',
    );
  }
  let metadata: { value: unknown } | undefined;
  let screenshot: CaptureParts['screenshot'] | undefined;
  try {
    const parts = request.parts({
      limits: {
        fileSize: maxScreenshotBytes,
        fieldSize: METADATA_MAX_BYTES,
        files: 2,
        fields: 2,
        parts: 3,
        fieldNameSize: 100,
        headerPairs: 50,
      },
    });
    for await (const part of parts) {
      if (part.fieldname === 'metadata' && metadata === undefined) {
        if (part.type === 'field') {
          if (part.valueTruncated || part.fieldnameTruncated) throw tooLarge();
          metadata = { value: typeof part.value === 'string' ? parseJson(part.value) : part.value };
        } else {
          const bytes = await part.toBuffer();
          if (bytes.length > METADATA_MAX_BYTES) throw tooLarge();
          metadata = { value: parseJson(bytes.toString('utf8')) };
        }
      } else if (part.fieldname === 'screenshot' && part.type === 'file' && screenshot === undefined) {
        const mediaType = part.mimetype.split(';')[0]?.trim().toLowerCase() ?? '';
        if (!isMediaType(mediaType)) {
          part.file.resume();
          throw new KestrelError(
            'UNSUPPORTED_MEDIA_TYPE',
            `The screenshot part must be one of ${SCREENSHOT_MEDIA_TYPES.join(', ')}`,
          );
        }
        screenshot = { bytes: await part.toBuffer(), mediaType };
      } else {
        if (part.type === 'file') part.file.resume();
        throw new KestrelError(
          'BAD_REQUEST',
          `Unexpected or repeated part "${part.fieldname.slice(0, 100)}"`,
        );
      }
    }
  } catch (err) {
    if (err instanceof KestrelError) throw err;
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('FST_')) throw err; // mapped by the error handler
    // busboy's own parse errors ("Unexpected end of form", "Malformed part header") carry no status.
    throw new KestrelError('BAD_REQUEST', 'The multipart body is malformed', { cause: err });
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
