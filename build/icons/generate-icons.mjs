// Renders the icons electron-builder and the tray use from the two SVGs in this folder.
// Run after editing an SVG: node build/icons/generate-icons.mjs (the outputs are committed).
import { Buffer } from 'node:buffer';
import { readFile, writeFile } from 'node:fs/promises';
import { URL } from 'node:url';
import sharp from 'sharp';

const here = new URL('./', import.meta.url);
const read = (name) => readFile(new URL(name, here));

/** A Windows .ico holding PNG images (supported since Windows Vista). */
export function icoFromPngs(images) {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, index) => {
    const entry = 6 + 16 * index;
    header.writeUInt8(size >= 256 ? 0 : size, entry);
    header.writeUInt8(size >= 256 ? 0 : size, entry + 1);
    header.writeUInt16LE(1, entry + 4);
    header.writeUInt16LE(32, entry + 6);
    header.writeUInt32LE(png.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map((image) => image.png)]);
}

const render = (svg, size) =>
  sharp(svg, { density: Math.ceil((72 * size) / 32) })
    .resize(size, size)
    .png()
    .toBuffer();

/** Tray variants: colour on Windows and Linux; a dot marks attention, grey marks paused. */
async function trayVariant(svg, size, variant) {
  const base = sharp(await render(svg, size));
  if (variant === 'template') return base.png().toBuffer();
  const tint = variant === 'paused' ? '#6b7280' : '#1d4e89';
  const coloured = await sharp({ create: { width: size, height: size, channels: 4, background: tint } })
    .composite([{ input: await base.png().toBuffer(), blend: 'dest-in' }])
    .png()
    .toBuffer();
  if (variant !== 'attention') return coloured;
  const r = size / 5;
  const dot = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><circle cx="${size - r}" cy="${size - r}" r="${r}" fill="#d97706" stroke="#fff" stroke-width="${size / 16}"/></svg>`,
  );
  return sharp(coloured)
    .composite([{ input: dot }])
    .png()
    .toBuffer();
}

export async function generateIcons() {
  const appSvg = await read('kestrel.svg');
  const traySvg = await read('kestrel-tray.svg');
  const outputs = {};
  outputs['icon.png'] = await render(appSvg, 1024);
  const icoSizes = [16, 24, 32, 48, 64, 128, 256];
  outputs['icon.ico'] = icoFromPngs(
    await Promise.all(icoSizes.map(async (size) => ({ size, png: await render(appSvg, size) }))),
  );
  for (const variant of ['normal', 'attention', 'paused']) {
    outputs[`tray-${variant}.png`] = await trayVariant(traySvg, 16, variant);
    outputs[`tray-${variant}@2x.png`] = await trayVariant(traySvg, 32, variant);
  }
  // macOS menu bar: the file name must end in "Template" for the system to tint it.
  outputs['trayTemplate.png'] = await trayVariant(traySvg, 16, 'template');
  outputs['trayTemplate@2x.png'] = await trayVariant(traySvg, 32, 'template');
  outputs['tray-windows.ico'] = icoFromPngs(
    await Promise.all(
      [16, 24, 32, 48].map(async (size) => ({ size, png: await trayVariant(traySvg, size, 'normal') })),
    ),
  );
  return outputs;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [name, bytes] of Object.entries(await generateIcons()))
    await writeFile(new URL(name, here), bytes);
}
