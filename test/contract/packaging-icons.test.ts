import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { generateIcons } from '../../build/icons/generate-icons.mjs';

const committed = (name: string) => readFileSync(new URL(`../../build/icons/${name}`, import.meta.url));

describe('build/icons', () => {
  it('regenerate unchanged from the SVG sources', async () => {
    const generated = await generateIcons();
    expect(Object.keys(generated).length).toBeGreaterThanOrEqual(10);
    for (const [name, bytes] of Object.entries(generated))
      expect(committed(name).equals(bytes), name).toBe(true);
  });

  it('have the sizes the platforms ask for', async () => {
    expect(await sharp(committed('icon.png')).metadata()).toMatchObject({ width: 1024, height: 1024 });
    expect(await sharp(committed('trayTemplate.png')).metadata()).toMatchObject({
      width: 16,
      height: 16,
      channels: 4,
    });
    expect(await sharp(committed('trayTemplate@2x.png')).metadata()).toMatchObject({ width: 32, height: 32 });
    const ico = committed('icon.ico');
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
    const sizes = Array.from({ length: ico.readUInt16LE(4) }, (_, i) => ico.readUInt8(6 + 16 * i) || 256);
    expect(sizes).toEqual([16, 24, 32, 48, 64, 128, 256]);
  });

  it('use black and transparency only in the macOS template image', async () => {
    const { data } = await sharp(committed('trayTemplate@2x.png'))
      .raw()
      .toBuffer({ resolveWithObject: true });
    for (let i = 0; i < data.length; i += 4)
      expect(data.subarray(i, i + 3).reduce((a, b) => a + b, 0)).toBe(0);
  });
});
