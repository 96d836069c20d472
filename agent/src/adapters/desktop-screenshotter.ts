import sharp from 'sharp';
import type { SourceHealth } from '@kestrel/shared/protocol';
import type { Screenshot, Screenshotter } from '../ports/screenshotter.js';

export interface DesktopScreenshotterOptions {
  /** Widest picture sent (default 1920 px); wider desktops are scaled down. */
  maxWidth?: number;
  /** Byte budget for one picture (default 300 KB); quality steps down until it fits. */
  maxBytes?: number;
}

type GrabAll = () => Promise<Buffer[]>;

const QUALITIES = [70, 55, 40, 30];

/**
 * Every display via `screenshot-desktop` (ImageMagick `import` on X11, the OS tools elsewhere),
 * placed side by side, scaled to at most `maxWidth`, and compressed as JPEG within `maxBytes`.
 */
export class DesktopScreenshotter implements Screenshotter {
  readonly name = 'screenshot-desktop';
  private state: SourceHealth = { state: 'ok' };
  private grabAll: GrabAll | undefined;

  constructor(private readonly options: DesktopScreenshotterOptions = {}) {}

  async capture(): Promise<Screenshot> {
    try {
      const shot = await this.take();
      this.state = { state: 'ok' };
      return shot;
    } catch (error) {
      this.state = {
        state: 'degraded',
        detail: `screenshot failed: ${error instanceof Error ? error.message : String(error)}`,
      };
      throw error;
    }
  }

  health(): SourceHealth {
    return this.state;
  }

  private async take(): Promise<Screenshot> {
    this.grabAll ??= (
      (await import('screenshot-desktop')) as unknown as { default: { all: GrabAll } }
    ).default.all;
    const displays = await this.grabAll();
    if (displays.length === 0) throw new Error('no display to capture');
    const maxWidth = this.options.maxWidth ?? 1920;
    const maxBytes = this.options.maxBytes ?? 300 * 1024;

    let image: ReturnType<typeof sharp>;
    if (displays.length === 1) {
      image = sharp(displays[0]);
    } else {
      const sizes = await Promise.all(displays.map((d) => sharp(d).metadata()));
      const width = sizes.reduce((sum, m) => sum + (m.width ?? 0), 0);
      const height = Math.max(...sizes.map((m) => m.height ?? 0));
      let left = 0;
      const layers = displays.map((input, i) => {
        const layer = { input, left, top: 0 };
        left += sizes[i]?.width ?? 0;
        return layer;
      });
      // Composite first, then resize: sharp applies resize before composite within one pipeline.
      const canvas = await sharp({ create: { width, height, channels: 3, background: '#000' } })
        .composite(layers)
        .raw()
        .toBuffer({ resolveWithObject: true });
      image = sharp(canvas.data, { raw: canvas.info });
    }
    const resized = await image
      .resize({ width: maxWidth, withoutEnlargement: true })
      .raw()
      .toBuffer({ resolveWithObject: true });
    for (const quality of QUALITIES) {
      const { data, info } = await sharp(resized.data, { raw: resized.info })
        .jpeg({ quality, mozjpeg: true })
        .toBuffer({ resolveWithObject: true });
      if (data.length <= maxBytes || quality === QUALITIES[QUALITIES.length - 1]) {
        return {
          bytes: new Uint8Array(data),
          mediaType: 'image/jpeg',
          width: info.width,
          height: info.height,
        };
      }
    }
    throw new Error('unreachable');
  }
}
