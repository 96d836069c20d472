import type { SourceHealth } from '@kestrel/shared/protocol';
import type { Screenshot, Screenshotter } from '../ports/screenshotter.js';

export interface FallbackScreenshotterOptions {
  /** Epoch milliseconds (the pipeline's clock). */
  now: () => number;
  /** After falling back, try the primary again this much later (a blocked helper rarely unblocks). */
  retryPrimaryAfterMs?: number;
  onSwitch?: (from: string, to: string, reason: string) => void;
}

/**
 * `screenshot-desktop` first; Electron's `desktopCapturer` when it fails (school fleets may block
 * the helper executable it builds on Windows). `name` says which one took the last picture, for
 * the heartbeat's `screenshotAdapter`.
 */
export class FallbackScreenshotter implements Screenshotter {
  private usingFallback = false;
  private primaryFailedAt = 0;
  private lastPrimaryError: string | undefined;
  private lastFailure: string | undefined;
  private readonly retryPrimaryAfterMs: number;

  constructor(
    private readonly primary: Screenshotter,
    private readonly fallback: Screenshotter,
    private readonly options: FallbackScreenshotterOptions,
  ) {
    this.retryPrimaryAfterMs = options.retryPrimaryAfterMs ?? 60 * 60 * 1000;
  }

  get name(): string {
    return this.usingFallback ? this.fallback.name : this.primary.name;
  }

  async capture(): Promise<Screenshot> {
    const retryPrimary =
      this.usingFallback && this.options.now() - this.primaryFailedAt >= this.retryPrimaryAfterMs;
    if (!this.usingFallback || retryPrimary) {
      try {
        const shot = await this.primary.capture();
        if (this.usingFallback) this.switchTo(false, 'primary works again');
        this.lastFailure = undefined;
        return shot;
      } catch (error) {
        this.primaryFailedAt = this.options.now();
        this.lastPrimaryError = messageOf(error);
        if (!this.usingFallback) this.switchTo(true, this.lastPrimaryError);
      }
    }
    try {
      const shot = await this.fallback.capture();
      this.lastFailure = undefined;
      return shot;
    } catch (error) {
      this.lastFailure = `${this.primary.name}: ${this.lastPrimaryError ?? 'not tried'}; ${this.fallback.name}: ${messageOf(error)}`;
      throw new Error(`no screenshot adapter works (${this.lastFailure})`);
    }
  }

  health(): SourceHealth {
    if (this.lastFailure !== undefined) return { state: 'unavailable', detail: truncate(this.lastFailure) };
    if (this.usingFallback) {
      return {
        state: 'degraded',
        detail: truncate(
          `using ${this.fallback.name}; ${this.primary.name} failed: ${this.lastPrimaryError}`,
        ),
      };
    }
    return this.primary.health();
  }

  private switchTo(fallback: boolean, reason: string): void {
    const from = this.name;
    this.usingFallback = fallback;
    this.options.onSwitch?.(from, this.name, reason);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Health details are bounded on the wire. */
function truncate(text: string): string {
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}
