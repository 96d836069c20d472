import type { SourceHealth, ScreenshotMediaType } from '@kestrel/shared/protocol';

export interface Screenshot {
  bytes: Uint8Array;
  mediaType: ScreenshotMediaType;
  width: number;
  height: number;
}

/** Takes one compressed picture of every display. */
export interface Screenshotter {
  /** Reported in heartbeats (`screenshotAdapter`). */
  readonly name: string;
  /** Rejects when no picture can be taken; the capture is still queued without one. */
  capture(): Promise<Screenshot>;
  health(): SourceHealth;
}
