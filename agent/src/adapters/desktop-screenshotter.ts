import type { SourceHealth } from '@kestrel/shared/protocol';
import type SharpType from 'sharp';
import type { Screenshot, Screenshotter } from '../ports/screenshotter.js';

export interface CompressOptions {
  /** Widest picture sent (default 1920 px); wider desktops are scaled down. */
  maxWidth?: number;
  /** Byte budget for one picture (default 300 KB). */
  maxBytes?: number;
}

type GrabAll = () => Promise<Buffer[]>;
type Sharp = typeof SharpType;

let sharpModule: Sharp | undefined;

/** Loaded on first use: libvips is large, and an agent that never takes a picture need not map it. */
async function loadSharp(): Promise<Sharp> {
  if (sharpModule) return sharpModule;
  const loaded = (await import('sharp')).default;
  // One picture now and then: libvips' operation cache and thread pool would only hold memory
  // (tens of MB of RSS) on a pupil's machine for no gain.
  loaded.cache(false);
  loaded.concurrency(1);
  sharpModule = loaded;
  return loaded;
}

// Tried in order until the picture fits the budget: quality first, then size (a screen of
// photographs or noise can need both). The last step is sent whatever its size.
const STEPS: readonly { widthFactor: number; quality: number }[] = [
  { widthFactor: 1, quality: 70 },
  { widthFactor: 1, quality: 55 },
  { widthFactor: 1, quality: 40 },
  { widthFactor: 0.75, quality: 40 },
  { widthFactor: 0.5, quality: 35 },
];

/** Places the displays' pictures side by side, scales to `maxWidth` and JPEG-compresses within `maxBytes`. */
export async function compressScreenshot(
  displays: Buffer[],
  options: CompressOptions = {},
): Promise<Screenshot> {
  if (displays.length === 0) throw new Error('no display to capture');
  const sharp = await loadSharp();
  const maxWidth = options.maxWidth ?? 1920;
  const maxBytes = options.maxBytes ?? 300 * 1024;
  let input: Buffer;
  let raw: Parameters<Sharp>[1];
  if (displays.length === 1 && displays[0]) {
    input = displays[0];
  } else {
    const sizes = await Promise.all(displays.map((d) => sharp(d).metadata()));
    const width = sizes.reduce((sum, m) => sum + (m.width ?? 0), 0);
    const height = Math.max(...sizes.map((m) => m.height ?? 0));
    let left = 0;
    const layers = displays.map((display, i) => {
      const layer = { input: display, left, top: 0 };
      left += sizes[i]?.width ?? 0;
      return layer;
    });
    // Composite first, then resize: within one pipeline sharp would resize before compositing.
    const canvas = await sharp({ create: { width, height, channels: 3, background: '#000' } })
      .composite(layers)
      .raw()
      .toBuffer({ resolveWithObject: true });
    input = canvas.data;
    raw = { raw: canvas.info };
  }
  const fullWidth = Math.min(maxWidth, (await sharp(input, raw).metadata()).width ?? maxWidth);
  let last: Screenshot | undefined;
  for (const step of STEPS) {
    // Plain libjpeg-turbo: mozjpeg's smaller files cost several times the CPU on every capture.
    const { data, info } = await sharp(input, raw)
      .resize({ width: Math.round(fullWidth * step.widthFactor), withoutEnlargement: true })
      .jpeg({ quality: step.quality })
      .toBuffer({ resolveWithObject: true });
    last = { bytes: new Uint8Array(data), mediaType: 'image/jpeg', width: info.width, height: info.height };
    if (data.length <= maxBytes) break;
  }
  if (!last) throw new Error('no compression step ran');
  return last;
}

/**
 * Every display via `screenshot-desktop` (ImageMagick `import` on X11, the OS tools elsewhere),
 * compressed by `compressScreenshot`.
 */
export class DesktopScreenshotter implements Screenshotter {
  readonly name = 'screenshot-desktop';
  private state: SourceHealth = { state: 'ok' };
  private grabAll: GrabAll | undefined;

  constructor(private readonly options: CompressOptions = {}) {}

  async capture(): Promise<Screenshot> {
    try {
      this.grabAll ??= (
        (await import('screenshot-desktop')) as unknown as { default: { all: GrabAll } }
      ).default.all;
      const shot = await compressScreenshot(await this.grabAll(), this.options);
      this.state = { state: 'ok' };
      return shot;
    } catch (error) {
      const detail = `screenshot failed: ${error instanceof Error ? error.message : String(error)}`;
      this.state = { state: 'degraded', detail };
      throw error;
    }
  }

  health(): SourceHealth {
    return this.state;
  }
}
