import type { KeyboardLayout } from '@kestrel/shared/protocol';

/** Unshifted and shifted character of one key. */
type KeyChars = readonly [plain: string, shifted: string];

// Hook key codes (PC set-1 scan codes, as uiohook reports them) of the keys that type a character.
// prettier-ignore
const LETTERS: Record<number, string> = {
  16: 'q', 17: 'w', 18: 'e', 19: 'r', 20: 't', 21: 'y', 22: 'u', 23: 'i', 24: 'o', 25: 'p',
  30: 'a', 31: 's', 32: 'd', 33: 'f', 34: 'g', 35: 'h', 36: 'j', 37: 'k', 38: 'l',
  44: 'z', 45: 'x', 46: 'c', 47: 'v', 48: 'b', 49: 'n', 50: 'm',
};

// prettier-ignore
const US: Record<number, KeyChars> = {
  41: ['`', '~'], 2: ['1', '!'], 3: ['2', '@'], 4: ['3', '#'], 5: ['4', '$'], 6: ['5', '%'],
  7: ['6', '^'], 8: ['7', '&'], 9: ['8', '*'], 10: ['9', '('], 11: ['0', ')'], 12: ['-', '_'],
  13: ['=', '+'], 26: ['[', '{'], 27: [']', '}'], 43: ['\\', '|'], 39: [';', ':'], 40: ["'", '"'],
  51: [',', '<'], 52: ['.', '>'], 53: ['/', '?'], 57: [' ', ' '],
};

// UK ISO: " and @ swap places, £ on 3, # ~ where US has \ |, ¬ on the backquote key. The ISO key
// left of Z (\ |) has no code of its own in the hook on X11, so it cannot be told apart there.
// prettier-ignore
const GB: Record<number, KeyChars> = {
  ...US,
  41: ['`', '¬'],
  3: ['2', '"'],
  4: ['3', '£'],
  40: ["'", '@'],
  43: ['#', '~'],
};

// The keypad types digits and operators whatever the layout (Num Lock assumed on).
// prettier-ignore
const KEYPAD: Record<number, string> = {
  82: '0', 79: '1', 80: '2', 81: '3', 75: '4', 76: '5', 77: '6', 71: '7', 72: '8', 73: '9',
  83: '.', 55: '*', 74: '-', 78: '+', 3637: '/',
};

const LAYOUTS: Record<KeyboardLayout, Record<number, KeyChars>> = { 'en-GB': GB, 'en-US': US };

/** The character a key types, or undefined when it types none. */
export function characterFor(
  layout: KeyboardLayout,
  keycode: number,
  shift: boolean,
  capsLock: boolean,
): string | undefined {
  const letter = LETTERS[keycode];
  if (letter !== undefined) return shift !== capsLock ? letter.toUpperCase() : letter;
  const chars = LAYOUTS[layout][keycode];
  if (chars !== undefined) return shift ? chars[1] : chars[0];
  return KEYPAD[keycode];
}
