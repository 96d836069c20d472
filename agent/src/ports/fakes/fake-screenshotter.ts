import type { SourceHealth } from '@kestrel/shared/protocol';
import type { Screenshot, Screenshotter } from '../screenshotter.js';

export class FakeScreenshotter implements Screenshotter {
  readonly name = 'fake';
  fail = false;
  taken = 0;

  async capture(): Promise<Screenshot> {
    this.taken++;
    if (this.fail) throw new Error('no display');
    return {
      bytes: new Uint8Array([0xff, 0xd8, 0xff, this.taken & 0xff]),
      mediaType: 'image/jpeg',
      width: 1920,
      height: 1080,
    };
  }

  health(): SourceHealth {
    return this.fail ? { state: 'degraded', detail: 'no display' } : { state: 'ok' };
  }
}
