import type { SourceHealth } from '@kestrel/shared/protocol';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { Screenshot, Screenshotter } from '../ports/screenshotter.js';
import { DesktopCapturerScreenshotter, type ScreenCaptureApi } from './desktop-capturer-screenshotter.js';
import { FallbackScreenshotter } from './fallback-screenshotter.js';

const shot = (width: number): Screenshot => ({
  bytes: new Uint8Array([width]),
  mediaType: 'image/jpeg',
  width,
  height: 1,
});

class FakeScreenshotter implements Screenshotter {
  calls = 0;
  failWith: string | undefined;
  constructor(
    readonly name: string,
    private readonly picture: Screenshot,
  ) {}
  async capture() {
    this.calls++;
    if (this.failWith !== undefined) throw new Error(this.failWith);
    return this.picture;
  }
  health(): SourceHealth {
    return { state: 'ok' };
  }
}

function setup() {
  let now = 0;
  const primary = new FakeScreenshotter('screenshot-desktop', shot(1));
  const fallback = new FakeScreenshotter('desktop-capturer', shot(2));
  const switches: string[] = [];
  const screenshotter = new FallbackScreenshotter(primary, fallback, {
    now: () => now,
    retryPrimaryAfterMs: 1000,
    onSwitch: (from, to) => switches.push(`${from}->${to}`),
  });
  return { primary, fallback, screenshotter, switches, advance: (ms: number) => (now += ms) };
}

describe('FallbackScreenshotter', () => {
  it('uses screenshot-desktop while it works', async () => {
    const { primary, fallback, screenshotter } = setup();
    expect(await screenshotter.capture()).toEqual(shot(1));
    expect([primary.calls, fallback.calls]).toEqual([1, 0]);
    expect(screenshotter.name).toBe('screenshot-desktop');
    expect(screenshotter.health()).toEqual({ state: 'ok' });
  });

  it('falls back to desktopCapturer when it fails, reports which is in use, and stays there', async () => {
    const { primary, fallback, screenshotter, switches } = setup();
    primary.failWith = 'spawn screenCapture_1.3.2.exe EACCES';
    expect(await screenshotter.capture()).toEqual(shot(2));
    expect(screenshotter.name).toBe('desktop-capturer');
    expect(screenshotter.health()).toEqual({
      state: 'degraded',
      detail: 'using desktop-capturer; screenshot-desktop failed: spawn screenCapture_1.3.2.exe EACCES',
    });
    await screenshotter.capture();
    expect([primary.calls, fallback.calls]).toEqual([1, 2]);
    expect(switches).toEqual(['screenshot-desktop->desktop-capturer']);
  });

  it('tries the default again after a while and returns to it when it works', async () => {
    const { primary, screenshotter, switches, advance } = setup();
    primary.failWith = 'blocked';
    await screenshotter.capture();
    advance(1000);
    primary.failWith = undefined;
    expect(await screenshotter.capture()).toEqual(shot(1));
    expect(screenshotter.name).toBe('screenshot-desktop');
    expect(switches).toEqual([
      'screenshot-desktop->desktop-capturer',
      'desktop-capturer->screenshot-desktop',
    ]);
  });

  it('rejects, and says both failed, when neither works; recovers after', async () => {
    const { primary, fallback, screenshotter } = setup();
    primary.failWith = 'blocked';
    fallback.failWith = 'no display';
    await expect(screenshotter.capture()).rejects.toThrow(
      'no screenshot adapter works (screenshot-desktop: blocked; desktop-capturer: no display)',
    );
    expect(screenshotter.health().state).toBe('unavailable');
    fallback.failWith = undefined;
    await screenshotter.capture();
    expect(screenshotter.health().state).toBe('degraded');
  });
});

async function solidPng(width: number, height: number, colour: string): Promise<Uint8Array> {
  return sharp({ create: { width, height, channels: 3, background: colour } })
    .png()
    .toBuffer();
}

describe('DesktopCapturerScreenshotter', () => {
  it('places every display on one picture, downscaled to 1920 px wide JPEG', async () => {
    const left = await solidPng(1920, 1080, '#ff0000');
    const right = await solidPng(2560, 1440, '#0000ff');
    const requested: unknown[] = [];
    const api: ScreenCaptureApi = {
      getAllDisplays: () => [
        { id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 }, scaleFactor: 1 },
        { id: 2, bounds: { x: 1920, y: 0, width: 1280, height: 720 }, scaleFactor: 2 },
      ],
      getSources: async (options) => {
        requested.push(options);
        return [
          { display_id: '2', thumbnail: { isEmpty: () => false, toPNG: () => right } },
          { display_id: '1', thumbnail: { isEmpty: () => false, toPNG: () => left } },
        ];
      },
    };
    const screenshotter = new DesktopCapturerScreenshotter(api);
    const picture = await screenshotter.capture();
    expect(requested).toEqual([{ types: ['screen'], thumbnailSize: { width: 2560, height: 1440 } }]);
    expect(picture.mediaType).toBe('image/jpeg');
    expect([picture.width, picture.height]).toEqual([1920, 648]);
    const { data, info } = await sharp(picture.bytes).raw().toBuffer({ resolveWithObject: true });
    const pixel = (x: number, y: number) => [
      ...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3),
    ];
    expect(pixel(100, 100)[0]).toBeGreaterThan(200); // red display on the left
    expect(pixel(1800, 100)[2]).toBeGreaterThan(200); // blue display on the right
    expect(Math.max(...pixel(1800, 600))).toBeLessThan(8); // below the shorter display: black (JPEG noise)
    expect(screenshotter.health()).toEqual({ state: 'ok' });
  });

  it('rejects, and reports unavailable, when Chromium gives only empty thumbnails', async () => {
    const screenshotter = new DesktopCapturerScreenshotter({
      getAllDisplays: () => [{ id: 1, bounds: { x: 0, y: 0, width: 800, height: 600 }, scaleFactor: 1 }],
      getSources: async () => [
        { display_id: '', thumbnail: { isEmpty: () => true, toPNG: () => new Uint8Array() } },
      ],
    });
    await expect(screenshotter.capture()).rejects.toThrow('the screen capture returned no picture');
    expect(screenshotter.health()).toEqual({
      state: 'unavailable',
      detail: 'the screen capture returned no picture',
    });
  });
});
