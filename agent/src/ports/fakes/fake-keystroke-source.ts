import type { KeyboardLayout, SourceHealth } from '@kestrel/shared/protocol';
import { characterFor } from '../../core/keyboard-layouts.js';
import type { InputEvent, KeyInput, KeystrokeSource } from '../keystroke-source.js';

/** Hook key codes the tests press by name. */
export const KEYS = {
  backspace: 14,
  tab: 15,
  enter: 28,
  shift: 42,
  ctrl: 29,
  capsLock: 58,
  left: 57419,
  home: 3655,
  delete: 3667,
  c: 46,
  v: 47,
} as const;

const TYPING_KEYS = [...Array.from({ length: 60 }, (_, i) => i + 1)];

/** A keyboard the test types on, as the hook would report it. */
export class FakeKeystrokeSource implements KeystrokeSource {
  private listener: ((event: InputEvent) => void) | undefined;
  state: SourceHealth = { state: 'ok' };
  capsLock = false;

  async start(listener: (event: InputEvent) => void): Promise<SourceHealth> {
    if (this.state.state === 'ok') this.listener = listener;
    return this.state;
  }

  async stop(): Promise<void> {
    this.listener = undefined;
  }

  health(): SourceHealth {
    return this.state;
  }

  emit(event: InputEvent): void {
    this.listener?.(event);
  }

  /** Press and release one key with the given modifiers held. */
  press(
    keycode: number,
    mods: Partial<Pick<KeyInput, 'shift' | 'ctrl' | 'alt' | 'meta' | 'repeat'>> = {},
  ): void {
    const base = {
      kind: 'key',
      keycode,
      repeat: false,
      shift: false,
      ctrl: false,
      alt: false,
      meta: false,
      capsLock: this.capsLock,
      ...mods,
    } as const;
    this.emit({ ...base, down: true });
    this.emit({ ...base, down: false, repeat: false });
  }

  /** Types `text` as a pupil would on `layout` (shift where the character needs it). */
  type(text: string, layout: KeyboardLayout = 'en-GB'): void {
    for (const char of text) {
      if (char === '\n') {
        this.press(KEYS.enter);
        continue;
      }
      const key = keyFor(char, layout);
      if (!key) throw new Error(`cannot type ${JSON.stringify(char)} on ${layout}`);
      // With Caps Lock on, a capital letter needs no Shift (and Shift gives a small one).
      const letter = /\p{L}/u.test(char);
      this.press(key.keycode, { shift: letter ? key.shift !== this.capsLock : key.shift });
    }
  }
}

function keyFor(char: string, layout: KeyboardLayout): { keycode: number; shift: boolean } | undefined {
  for (const keycode of TYPING_KEYS) {
    for (const shift of [false, true]) {
      if (characterFor(layout, keycode, shift, false) === char) return { keycode, shift };
    }
  }
  return undefined;
}
