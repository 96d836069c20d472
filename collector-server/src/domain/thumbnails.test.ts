import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiskScreenshotStore } from '../adapters/disk-screenshot-store.js';
import { SharpImageProcessor } from '../adapters/sharp-image-processor.js';
import { readThumbnail } from './thumbnails.js';

describe('readThumbnail', () => {
  let root: string;
  let screenshots: DiskScreenshotStore;
  const images = new SharpImageProcessor();
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'kestrel-thumbs-'));
    screenshots = new DiskScreenshotStore(root);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  async function stored(category: 'self-harm' | 'illegal') {
    const png = await sharp({ create: { width: 800, height: 500, channels: 3, background: '#468' } })
      .png()
      .toBuffer();
    const image = await images.process(png, 'image/png', { blurThumbnail: category === 'illegal' });
    return {
      thumbnailSha256: await screenshots.put(image.thumbnail, { durable: false }),
      screenshotSha256: await screenshots.put(png),
      screenshotMediaType: 'image/png' as const,
      category,
      thumbnail: image.thumbnail,
    };
  }

  it('returns the stored thumbnail', async () => {
    const capture = await stored('self-harm');
    expect(await readThumbnail({ screenshots, images }, capture)).toEqual(capture.thumbnail);
  });

  it.each(['self-harm', 'illegal'] as const)(
    'makes a lost or torn thumbnail again from the screenshot and stores it again (%s)',
    async (category) => {
      const capture = await stored(category);
      await screenshots.delete(capture.thumbnailSha256);
      expect(await readThumbnail({ screenshots, images }, capture)).toEqual(capture.thumbnail);
      expect(await screenshots.get(capture.thumbnailSha256)).toEqual(capture.thumbnail);

      await writeFile(screenshots.pathOf(capture.thumbnailSha256), capture.thumbnail.subarray(0, 100));
      expect(await readThumbnail({ screenshots, images }, capture)).toEqual(capture.thumbnail);
      expect(await screenshots.get(capture.thumbnailSha256)).toEqual(capture.thumbnail);
    },
  );

  it('is undefined when the screenshot is missing too', async () => {
    const capture = await stored('self-harm');
    await screenshots.delete(capture.thumbnailSha256);
    await screenshots.delete(capture.screenshotSha256);
    expect(await readThumbnail({ screenshots, images }, capture)).toBeUndefined();
  });
});
