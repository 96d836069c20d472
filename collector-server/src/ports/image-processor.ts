import type { ScreenshotMediaType } from '@kestrel/shared/protocol';

export interface ProcessedImage {
  mediaType: ScreenshotMediaType;
  width: number;
  height: number;
  thumbnail: Buffer;
  thumbnailMediaType: 'image/jpeg';
}

/**
 * Proves that an upload is an image of the declared type and makes its thumbnail. Throws a
 * `KestrelError` (SCREENSHOT_INVALID, SCREENSHOT_TOO_LARGE) for anything else.
 */
export interface ImageProcessor {
  process(
    bytes: Buffer,
    declared: ScreenshotMediaType,
    options?: { blurThumbnail?: boolean },
  ): Promise<ProcessedImage>;
}
