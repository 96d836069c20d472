import { createHash } from 'node:crypto';
import type { Capture } from '../ports/captures-repository.js';
import type { ImageProcessor } from '../ports/image-processor.js';
import type { ScreenshotStore } from '../ports/screenshot-store.js';

/**
 * A capture's thumbnail. Ingest does not fsync thumbnails (they derive from the screenshot, which is
 * durable), so after a power cut one may be missing, or on some file systems present but not whole:
 * it is then made again from the screenshot, exactly as at ingest, and stored again when it comes out
 * the same. Undefined only when the screenshot itself is missing.
 */
export async function readThumbnail(
  deps: { screenshots: ScreenshotStore; images: ImageProcessor },
  capture: Pick<Capture, 'thumbnailSha256' | 'screenshotSha256' | 'screenshotMediaType' | 'category'>,
): Promise<Buffer | undefined> {
  const stored = await deps.screenshots.get(capture.thumbnailSha256);
  if (stored !== undefined && sha256(stored) === capture.thumbnailSha256) return stored;
  const screenshot = await deps.screenshots.get(capture.screenshotSha256);
  if (screenshot === undefined) return undefined;
  const { thumbnail } = await deps.images.process(screenshot, capture.screenshotMediaType, {
    blurThumbnail: capture.category === 'illegal',
  });
  if (sha256(thumbnail) === capture.thumbnailSha256) {
    await deps.screenshots.delete(capture.thumbnailSha256);
    await deps.screenshots.put(thumbnail, { durable: false });
  }
  return thumbnail;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
