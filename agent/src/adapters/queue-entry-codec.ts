import { createHash } from 'node:crypto';
import { z } from 'zod';
import { captureMetadataSchema, LIMITS, SCREENSHOT_MEDIA_TYPES } from '@kestrel/shared/protocol';
import type { QueuedCapture } from '../ports/queue-store.js';

/**
 * One queue entry on disk, version 1:
 *
 *   "KESTRELQ1\n"                     10 bytes, magic and version
 *   header length                      4 bytes, unsigned big-endian
 *   header                             UTF-8 JSON {metadata, queuedAt, screenshot?: {mediaType, width, height, bytes}}
 *   screenshot                         `screenshot.bytes` bytes (absent without a screenshot)
 *   SHA-256 of everything above       32 bytes
 *
 * A torn or altered file fails the length or digest check and is never sent.
 */
const MAGIC = Buffer.from('KESTRELQ1\n', 'latin1');
const DIGEST_BYTES = 32;

const headerSchema = z.strictObject({
  metadata: captureMetadataSchema,
  queuedAt: z.number().int().min(0),
  screenshot: z
    .strictObject({
      mediaType: z.enum(SCREENSHOT_MEDIA_TYPES),
      width: z.number().int().min(1).max(LIMITS.screenshotPixelsPerSide),
      height: z.number().int().min(1).max(LIMITS.screenshotPixelsPerSide),
      bytes: z.number().int().min(1).max(LIMITS.screenshotBytes),
    })
    .optional(),
});

export function encodeEntry(capture: QueuedCapture, queuedAt: number): Buffer {
  const shot = capture.screenshot;
  const header = Buffer.from(
    JSON.stringify({
      metadata: capture.metadata,
      queuedAt,
      ...(shot
        ? {
            screenshot: {
              mediaType: shot.mediaType,
              width: shot.width,
              height: shot.height,
              bytes: shot.bytes.length,
            },
          }
        : {}),
    }),
    'utf8',
  );
  const length = Buffer.alloc(4);
  length.writeUInt32BE(header.length);
  const body = Buffer.concat([MAGIC, length, header, shot ? Buffer.from(shot.bytes) : Buffer.alloc(0)]);
  return Buffer.concat([body, createHash('sha256').update(body).digest()]);
}

export type DecodeResult =
  { ok: true; capture: QueuedCapture; queuedAt: number } | { ok: false; reason: string };

export function decodeEntry(data: Uint8Array): DecodeResult {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (buf.length < MAGIC.length + 4 + DIGEST_BYTES) return { ok: false, reason: 'truncated' };
  if (!buf.subarray(0, MAGIC.length).equals(MAGIC)) return { ok: false, reason: 'bad magic' };
  const body = buf.subarray(0, buf.length - DIGEST_BYTES);
  const digest = createHash('sha256').update(body).digest();
  if (!digest.equals(buf.subarray(buf.length - DIGEST_BYTES)))
    return { ok: false, reason: 'digest mismatch' };
  const headerLength = buf.readUInt32BE(MAGIC.length);
  const headerEnd = MAGIC.length + 4 + headerLength;
  if (headerEnd > body.length) return { ok: false, reason: 'header length' };
  let header: z.infer<typeof headerSchema>;
  try {
    header = headerSchema.parse(JSON.parse(body.subarray(MAGIC.length + 4, headerEnd).toString('utf8')));
  } catch {
    return { ok: false, reason: 'invalid header' };
  }
  const imageBytes = body.length - headerEnd;
  if (imageBytes !== (header.screenshot?.bytes ?? 0)) return { ok: false, reason: 'screenshot length' };
  const capture: QueuedCapture = header.screenshot
    ? {
        metadata: header.metadata,
        screenshot: {
          bytes: new Uint8Array(body.subarray(headerEnd)),
          mediaType: header.screenshot.mediaType,
          width: header.screenshot.width,
          height: header.screenshot.height,
        },
      }
    : { metadata: header.metadata };
  return { ok: true, capture, queuedAt: header.queuedAt };
}
