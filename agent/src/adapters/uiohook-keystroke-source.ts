import type { SourceHealth } from '@kestrel/shared/protocol';
import type { InputEvent, KeystrokeSource } from '../ports/keystroke-source.js';
import type { DisplayProbe } from './x11-display.js';

export interface UiohookKeystrokeSourceOptions {
  /** Asked before the hook starts; the hook aborts the process without a usable display. */
  probeDisplay: () => Promise<DisplayProbe>;
  /** Caps Lock at start (the hook only sees it toggled afterwards). */
  readCapsLock?: () => Promise<boolean | undefined>;
}

const CAPS_LOCK = 58;

interface HookKeyEvent {
  keycode: number;
  shiftKey: boolean;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
}

interface Hook {
  on(event: 'keydown' | 'keyup', listener: (e: HookKeyEvent) => void): unknown;
  on(event: 'mousedown', listener: () => void): unknown;
  removeAllListeners(): unknown;
  start(): void;
  stop(): void;
}

/** The global keyboard and mouse hook (uiohook-napi), loaded only once a display is known to answer. */
export class UiohookKeystrokeSource implements KeystrokeSource {
  private hook: Hook | undefined;
  private state: SourceHealth = { state: 'unavailable', detail: 'not started' };
  private readonly held = new Set<number>();
  private capsLock = false;

  constructor(private readonly options: UiohookKeystrokeSourceOptions) {}

  async start(listener: (event: InputEvent) => void): Promise<SourceHealth> {
    const display = await this.options.probeDisplay();
    if (!display.ok) {
      this.state = { state: 'unavailable', detail: display.detail ?? 'no display' };
      return this.state;
    }
    this.capsLock = (await this.options.readCapsLock?.()) ?? false;
    try {
      const { uIOhook } = (await import('uiohook-napi')) as unknown as { uIOhook: Hook };
      const key = (down: boolean) => (e: HookKeyEvent) => {
        const repeat = down && this.held.has(e.keycode);
        if (down) this.held.add(e.keycode);
        else this.held.delete(e.keycode);
        if (down && !repeat && e.keycode === CAPS_LOCK) this.capsLock = !this.capsLock;
        listener({
          kind: 'key',
          keycode: e.keycode,
          down,
          repeat,
          shift: e.shiftKey,
          capsLock: this.capsLock,
          ctrl: e.ctrlKey,
          alt: e.altKey,
          meta: e.metaKey,
        });
      };
      uIOhook.on('keydown', key(true));
      uIOhook.on('keyup', key(false));
      uIOhook.on('mousedown', () => listener({ kind: 'pointer' }));
      uIOhook.start();
      this.hook = uIOhook;
      this.state = { state: 'ok' };
    } catch (error) {
      this.state = {
        state: 'unavailable',
        detail: `keyboard hook failed: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    return this.state;
  }

  async stop(): Promise<void> {
    const hook = this.hook;
    this.hook = undefined;
    if (!hook) return;
    hook.removeAllListeners();
    hook.stop();
    this.state = { state: 'disabled', detail: 'stopped' };
  }

  health(): SourceHealth {
    return this.state;
  }
}
