import sharp from 'sharp';

/** PDF renderers draw JPEG and PNG only; anything else (webp) is converted to PNG. */
export async function toDrawable(bytes: Buffer, mediaType: string): Promise<Buffer> {
  if (mediaType === 'image/jpeg' || mediaType === 'image/png') return bytes;
  return sharp(bytes).png().toBuffer();
}
