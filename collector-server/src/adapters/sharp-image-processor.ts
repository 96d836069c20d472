import { availableParallelism } from 'node:os';
import { KestrelError } from '@kestrel/shared/errors';
import { LIMITS, type ScreenshotMediaType } from '@kestrel/shared/protocol';
import sharp, { type Metadata } from 'sharp';
import type { ImageProcessor, ProcessedImage } from '../ports/image-processor.js';

const FORMAT_OF: Record<ScreenshotMediaType, string> = {
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/webp': 'webp',
};

export const THUMBNAIL_WIDTH = 320;

// One libvips thread per image: uploads arrive many at a time, so parallelism comes from decoding
// several images at once rather than splitting one image across threads (measured faster here).
sharp.concurrency(1);
// Every upload is a new image, decoded once: libvips' operation cache would only hold memory
// (up to 50 MB by default) without ever hitting.
sharp.cache(false);

/** Bounds concurrent work: beyond the cores it only adds memory (decoded pixels) and latency. */
class Gate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

/**
 * Decodes every upload with libvips. The header is read first (cheap) to check format and
 * dimensions before any pixel is decoded; then one pipeline decodes the whole image (a truncated or
 * corrupt one fails there) while shrinking it to the thumbnail, so a JPEG is decoded at reduced
 * scale (shrink-on-load) instead of at full size.
 */
export class SharpImageProcessor implements ImageProcessor {
  private readonly gate: Gate;

  constructor(
    private readonly maxSide = LIMITS.screenshotPixelsPerSide,
    parallel = Math.max(2, availableParallelism() * 2),
  ) {
    this.gate = new Gate(parallel);
  }

  process(
    bytes: Buffer,
    declared: ScreenshotMediaType,
    options: { blurThumbnail?: boolean } = {},
  ): Promise<ProcessedImage> {
    return this.gate.run(() => this.decode(bytes, declared, options));
  }

  private async decode(
    bytes: Buffer,
    declared: ScreenshotMediaType,
    options: { blurThumbnail?: boolean },
  ): Promise<ProcessedImage> {
    let meta: Metadata;
    try {
      meta = await sharp(bytes, { failOn: 'error', limitInputPixels: false }).metadata();
    } catch {
      throw new KestrelError('SCREENSHOT_INVALID', 'The screenshot is not a decodable image');
    }
    if (meta.format !== FORMAT_OF[declared]) {
      throw new KestrelError(
        'SCREENSHOT_INVALID',
        `The screenshot was sent as ${declared} but is ${meta.format ?? 'not an image'}`,
      );
    }
    const { width, height } = meta;
    if (width === undefined || height === undefined || width < 1 || height < 1) {
      throw new KestrelError('SCREENSHOT_INVALID', 'The screenshot has no dimensions');
    }
    if (width > this.maxSide || height > this.maxSide) {
      throw new KestrelError(
        'SCREENSHOT_TOO_LARGE',
        `The screenshot is larger than ${this.maxSide} pixels a side`,
      );
    }
    if ((meta.pages ?? 1) > 1) {
      throw new KestrelError('SCREENSHOT_INVALID', 'Animated or multi-page images are not screenshots');
    }
    let thumbnail: Buffer;
    try {
      let pipeline = sharp(bytes, { failOn: 'error', sequentialRead: true, limitInputPixels: false }).resize({
        width: THUMBNAIL_WIDTH,
        height: THUMBNAIL_WIDTH * 2,
        fit: 'inside',
        withoutEnlargement: true,
      });
      // "Save all evidence but do not view": an illegal-category capture never has a viewable thumbnail.
      if (options.blurThumbnail === true) pipeline = pipeline.blur(25);
      thumbnail = await pipeline.jpeg({ quality: 70 }).toBuffer();
    } catch {
      throw new KestrelError(
        'SCREENSHOT_INVALID',
        'The screenshot could not be decoded (corrupt or truncated)',
      );
    }
    return { mediaType: declared, width, height, thumbnail, thumbnailMediaType: 'image/jpeg' };
  }
}
