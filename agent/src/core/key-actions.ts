import type { KeyboardLayout } from '@kestrel/shared/protocol';
import type { InputEvent } from '../ports/keystroke-source.js';
import { characterFor } from './keyboard-layouts.js';

/**
 * What a key does to the phrase being typed:
 * - `text`: characters appended at the caret;
 * - `backspace`: one character before the caret removed;
 * - `boundary`: the phrase ended (Enter, Tab);
 * - `caret`: the caret moved somewhere unknown (arrows, Home, a click, an editing shortcut), so
 *   the buffer no longer mirrors what is on screen and is forgotten;
 * - `none`: nothing typed (modifiers, releases, function keys, shortcuts).
 */
export type KeyAction =
  | { type: 'text'; chars: string }
  | { type: 'backspace' }
  | { type: 'boundary' }
  | { type: 'caret' }
  | { type: 'none' };

const KEY = {
  backspace: 14,
  tab: 15,
  enter: 28,
  numpadEnter: 3612,
  delete: 3667,
  /** A key the hook has no code for (the UK ISO key on X11, keys remapped on the fly). */
  undefined: 0,
} as const;

// It typed something, but what is unknown: a replacement character keeps the words on each side
// apart (and honest in the context) instead of gluing them into one.
const UNKNOWN_CHARACTER = '\uFFFD';

// Arrows, Home, End, Page Up/Down, Insert (overtype changes what typing does).
const CARET_KEYS = new Set([57419, 57421, 57416, 57424, 3655, 3663, 3657, 3665, 3666]);

// Shortcuts that change the text in ways the agent cannot see (paste, cut, undo, select all,
// delete word): the buffer is forgotten rather than left lying about what is on screen.
const EDITING_CHORD_KEYS = new Set([47, 45, 44, 21, 30, KEY.backspace, KEY.delete]);

const NONE: KeyAction = { type: 'none' };

/** Turns one input event into its effect on the phrase buffer. Pure. */
export function keyAction(event: InputEvent, layout: KeyboardLayout): KeyAction {
  if (event.kind === 'pointer') return { type: 'caret' };
  // Releases type nothing; an auto-repeated press types again, like the OS does.
  if (!event.down) return NONE;
  if (event.ctrl || event.meta || event.alt) {
    return EDITING_CHORD_KEYS.has(event.keycode) ? { type: 'caret' } : NONE;
  }
  switch (event.keycode) {
    case KEY.backspace:
      return { type: 'backspace' };
    case KEY.tab:
    case KEY.enter:
    case KEY.numpadEnter:
      return { type: 'boundary' };
    // The buffer always ends at the caret (any caret move forgets it), so Delete removes
    // nothing the agent holds.
    case KEY.delete:
      return NONE;
    case KEY.undefined:
      return { type: 'text', chars: UNKNOWN_CHARACTER };
  }
  if (CARET_KEYS.has(event.keycode)) return { type: 'caret' };
  const chars = characterFor(layout, event.keycode, event.shift, event.capsLock);
  return chars === undefined ? NONE : { type: 'text', chars };
}
