import { execFile } from 'node:child_process';
import type { SourceHealth } from '@kestrel/shared/protocol';
import type { Screenshot, Screenshotter } from '../ports/screenshotter.js';
import { jpegSize } from './jpeg-size.js';

export interface X11ImportScreenshotterOptions {
  maxWidth?: number;
  maxBytes?: number;
  env?: NodeJS.ProcessEnv;
}

// Quality first, then size, until the picture fits; the last step is sent whatever its size.
const STEPS: readonly { widthFactor: number; quality: number }[] = [
  { widthFactor: 1, quality: 70 },
  { widthFactor: 1, quality: 50 },
  { widthFactor: 0.75, quality: 40 },
  { widthFactor: 0.5, quality: 35 },
];

/**
 * The whole X root window (every monitor, as arranged) grabbed, scaled to at most `maxWidth` and
 * JPEG-encoded by ImageMagick `import` in one child process. Measured against screenshot-desktop
 * (the same `import`, then sharp in the agent): faster, and the agent's own memory stays flat,
 * since no image is ever decoded in it (see docs/benchmarks.md, Agent).
 */
export class X11ImportScreenshotter implements Screenshotter {
  readonly name = 'imagemagick-import';
  private state: SourceHealth = { state: 'ok' };

  constructor(private readonly options: X11ImportScreenshotterOptions = {}) {}

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
    const maxWidth = this.options.maxWidth ?? 1920;
    const maxBytes = this.options.maxBytes ?? 300 * 1024;
    let last: Screenshot | undefined;
    for (const step of STEPS) {
      const width = Math.round(maxWidth * step.widthFactor);
      const bytes = await this.grab(['-resize', `${width}x>`, '-quality', String(step.quality)]);
      const size = jpegSize(bytes);
      if (!size) throw new Error('import did not produce a JPEG');
      last = { bytes, mediaType: 'image/jpeg', ...size };
      if (bytes.length <= maxBytes) break;
    }
    if (!last) throw new Error('no screenshot step ran');
    return last;
  }

  private grab(args: string[]): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      execFile(
        'import',
        ['-silent', '-window', 'root', ...args, 'jpeg:-'],
        {
          env: this.options.env ?? process.env,
          encoding: 'buffer',
          maxBuffer: 64 * 1024 * 1024,
          timeout: 15_000,
        },
        (error, stdout) => (error ? reject(error) : resolve(new Uint8Array(stdout))),
      );
    });
  }
}
