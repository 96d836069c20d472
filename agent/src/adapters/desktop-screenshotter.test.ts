import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { compressScreenshot } from './desktop-screenshotter.js';

/** A busy 1080p desktop: coloured panels and screenfuls of small text. */
async function busyScreen(width = 1920, height = 1080): Promise<Buffer> {
  const lines = Array.from(
    { length: 70 },
    (_, i) =>
      `<text x="10" y="${14 + i * 15}" font-size="13" font-family="sans-serif" fill="#${(i * 2654435).toString(16).slice(-6).padStart(6, '0')}">Line ${i}: the quick brown fox jumps over the lazy dog 0123456789 — homework notes, chapter ${i}, photosynthesis and the water cycle</text>`,
  ).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#eef"/><rect x="1200" y="100" width="600" height="800" fill="#369"/>${lines}</svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 95 }).toBuffer();
}

/** The worst case for JPEG: every pixel random. */
async function noise(width: number, height: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  let seed = 42;
  for (let i = 0; i < pixels.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    pixels[i] = seed >> 16;
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 1 })
    .toBuffer();
}

describe('screenshot compression', () => {
  it('keeps a busy 1080p screen at full size within 300 KB', async () => {
    const shot = await compressScreenshot([await busyScreen()]);
    expect(shot).toMatchObject({ mediaType: 'image/jpeg', width: 1920, height: 1080 });
    expect(shot.bytes.length).toBeLessThanOrEqual(300 * 1024);
    expect((await sharp(shot.bytes).metadata()).format).toBe('jpeg');
  });

  it('puts two displays side by side and scales them to 1920 px wide', async () => {
    const shot = await compressScreenshot([await busyScreen(), await busyScreen(1280, 1024)]);
    expect(shot.width).toBe(1920);
    expect(shot.height).toBe(Math.round((1080 * 1920) / 3200));
  });

  it('steps quality and size down until even noise fits', async () => {
    const shot = await compressScreenshot([await noise(1920, 1080)]);
    expect(shot.bytes.length).toBeLessThanOrEqual(300 * 1024);
    expect(shot.width).toBeLessThan(1920);
  });
});
