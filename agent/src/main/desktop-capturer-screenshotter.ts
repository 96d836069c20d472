import type { SourceHealth } from '@kestrel/shared/protocol';
import sharp, { type OverlayOptions } from 'sharp';
import type { Screenshot, Screenshotter } from '../ports/screenshotter.js';

/** The parts of Electron's `desktopCapturer` and `screen` this adapter uses (injected). */
export interface ScreenCaptureApi {
  getSources(options: {
    types: Array<'screen'>;
    thumbnailSize: { width: number; height: number };
  }): Promise<Array<{ display_id: string; thumbnail: { isEmpty(): boolean; toPNG(): Uint8Array } }>>;
  getAllDisplays(): Array<{
    id: number;
    bounds: { x: number; y: number; width: number; height: number };
    scaleFactor: number;
  }>;
}

const MAX_WIDTH = 1920;
const JPEG_QUALITY = 70;

/**
 * Screenshots through Chromium's screen capture, which needs no helper executable. Every
 * display is placed where it sits on the virtual desktop, then the whole is downscaled to at most
 * 1920 px wide and sent as JPEG, like the default adapter.
 */
export class DesktopCapturerScreenshotter implements Screenshotter {
  readonly name = 'desktop-capturer';
  private lastError: string | undefined;

  constructor(private readonly api: ScreenCaptureApi) {}

  async capture(): Promise<Screenshot> {
    try {
      const shot = await this.captureAll();
      this.lastError = undefined;
      return shot;
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error);
      throw error;
    }
  }

  health(): SourceHealth {
    return this.lastError === undefined
      ? { state: 'ok' }
      : { state: 'unavailable', detail: this.lastError.slice(0, 200) };
  }

  private async captureAll(): Promise<Screenshot> {
    const displays = this.api.getAllDisplays();
    if (displays.length === 0) throw new Error('no display');
    // One size for every source: the largest display in physical pixels (thumbnails keep their aspect).
    const thumbnailSize = {
      width: Math.max(...displays.map((d) => Math.round(d.bounds.width * d.scaleFactor))),
      height: Math.max(...displays.map((d) => Math.round(d.bounds.height * d.scaleFactor))),
    };
    const sources = await this.api.getSources({ types: ['screen'], thumbnailSize });
    const left = Math.min(...displays.map((d) => d.bounds.x));
    const top = Math.min(...displays.map((d) => d.bounds.y));
    const width = Math.max(...displays.map((d) => d.bounds.x + d.bounds.width)) - left;
    const height = Math.max(...displays.map((d) => d.bounds.y + d.bounds.height)) - top;

    const layers: OverlayOptions[] = [];
    for (const display of displays) {
      const source =
        sources.find((s) => s.display_id === String(display.id)) ??
        (displays.length === 1 ? sources[0] : undefined);
      if (!source || source.thumbnail.isEmpty()) continue;
      const input = await sharp(source.thumbnail.toPNG())
        .resize(display.bounds.width, display.bounds.height, { fit: 'fill' })
        .png()
        .toBuffer();
      layers.push({ input, left: display.bounds.x - left, top: display.bounds.y - top });
    }
    if (layers.length === 0) throw new Error('the screen capture returned no picture');

    const canvas = await sharp({ create: { width, height, channels: 3, background: '#000000' } })
      .composite(layers)
      .png()
      .toBuffer();
    const { data, info } = await sharp(canvas)
      .resize({ width: MAX_WIDTH, withoutEnlargement: true })
      .jpeg({ quality: JPEG_QUALITY, mozjpeg: true })
      .toBuffer({ resolveWithObject: true });
    return { bytes: new Uint8Array(data), mediaType: 'image/jpeg', width: info.width, height: info.height };
  }
}
