import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { jpegSize } from './jpeg-size.js';

describe('jpegSize', () => {
  it('reads baseline and progressive JPEG dimensions without decoding', async () => {
    const image = sharp({ create: { width: 321, height: 123, channels: 3, background: '#369' } });
    expect(jpegSize(await image.clone().jpeg().toBuffer())).toEqual({ width: 321, height: 123 });
    expect(jpegSize(await image.clone().jpeg({ progressive: true }).toBuffer())).toEqual({
      width: 321,
      height: 123,
    });
  });

  it('says undefined for anything else', async () => {
    expect(
      jpegSize(
        await sharp({ create: { width: 2, height: 2, channels: 3, background: '#000' } })
          .png()
          .toBuffer(),
      ),
    ).toBeUndefined();
    expect(jpegSize(new Uint8Array([0xff, 0xd8, 0xff]))).toBeUndefined();
  });
});
