import { basename } from 'node:path';
import type { SourceHealth } from '@kestrel/shared/protocol';
import type { ActiveWindow, WindowSource } from '../ports/window-source.js';

interface ActiveWinResult {
  id: number;
  title: string;
  url?: string;
  owner: { name: string; processId: number; path?: string };
}

type ActiveWin = (options?: {
  accessibilityPermission?: boolean;
  screenRecordingPermission?: boolean;
}) => Promise<ActiveWinResult | undefined>;

export interface ActiveWinWindowSourceOptions {
  /** macOS: whether active-win may trigger the OS permission prompts (the tray asks instead). */
  promptForPermissions?: boolean;
}

// A few empty answers in a row are normal (desktop focused, a menu open); many mean no window
// can be read at all (no window manager, permission missing).
const FAILURES_BEFORE_DEGRADED = 5;

/**
 * The active window from `active-win` (on X11 it asks `xprop`/`xwininfo`; on macOS and Windows
 * a native helper, which also gives browsers' URLs). The core polls it about once a second and
 * on keystrokes.
 */
export class ActiveWinWindowSource implements WindowSource {
  private activeWin: ActiveWin | undefined;
  private failures = 0;
  private lastError: string | undefined;

  constructor(private readonly options: ActiveWinWindowSourceOptions = {}) {}

  async current(): Promise<ActiveWindow | undefined> {
    try {
      this.activeWin ??= ((await import('active-win')) as unknown as { default: ActiveWin }).default;
      const prompt = this.options.promptForPermissions ?? false;
      const result = await this.activeWin({
        accessibilityPermission: prompt,
        screenRecordingPermission: prompt,
      });
      if (!result) {
        this.failures++;
        return undefined;
      }
      this.failures = 0;
      this.lastError = undefined;
      const process = result.owner.path ? basename(result.owner.path) : result.owner.name;
      return {
        id: `${result.owner.processId}:${result.id}`,
        title: result.title ?? '',
        application: result.owner.name ?? '',
        process,
        ...(result.url ? { url: result.url } : {}),
      };
    } catch (error) {
      this.failures++;
      this.lastError = error instanceof Error ? error.message : String(error);
      return undefined;
    }
  }

  health(): SourceHealth {
    if (this.failures < FAILURES_BEFORE_DEGRADED) return { state: 'ok' };
    return { state: 'degraded', detail: this.lastError ?? 'no active window can be read' };
  }
}
