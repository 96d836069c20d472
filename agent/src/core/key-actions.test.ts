import { describe, expect, it } from 'vitest';
import type { KeyInput } from '../ports/keystroke-source.js';
import { keyAction } from './key-actions.js';
import { characterFor } from './keyboard-layouts.js';

const key = (keycode: number, mods: Partial<KeyInput> = {}): KeyInput => ({
  kind: 'key',
  keycode,
  down: true,
  repeat: false,
  shift: false,
  capsLock: false,
  ctrl: false,
  alt: false,
  meta: false,
  ...mods,
});

const K = {
  a: 30,
  two: 3,
  three: 4,
  quote: 40,
  hash: 43,
  backquote: 41,
  backspace: 14,
  enter: 28,
  tab: 15,
  left: 57419,
  v: 47,
  c: 46,
};

describe('keyboard layouts', () => {
  it('swaps " and @ on a UK keyboard, with £ on 3 and # beside Enter', () => {
    expect(characterFor('en-GB', K.two, true, false)).toBe('"');
    expect(characterFor('en-GB', K.quote, true, false)).toBe('@');
    expect(characterFor('en-GB', K.three, true, false)).toBe('£');
    expect(characterFor('en-GB', K.hash, false, false)).toBe('#');
    expect(characterFor('en-GB', K.hash, true, false)).toBe('~');
    expect(characterFor('en-GB', K.backquote, true, false)).toBe('¬');
  });

  it('types the same keys the US way', () => {
    expect(characterFor('en-US', K.two, true, false)).toBe('@');
    expect(characterFor('en-US', K.quote, true, false)).toBe('"');
    expect(characterFor('en-US', K.three, true, false)).toBe('#');
    expect(characterFor('en-US', K.hash, false, false)).toBe('\\');
    expect(characterFor('en-US', K.backquote, true, false)).toBe('~');
  });

  it('applies caps lock to letters only, and shift undoes it', () => {
    for (const layout of ['en-GB', 'en-US'] as const) {
      expect(characterFor(layout, K.a, false, true)).toBe('A');
      expect(characterFor(layout, K.a, true, true)).toBe('a');
      expect(characterFor(layout, K.a, true, false)).toBe('A');
      expect(characterFor(layout, K.two, false, true)).toBe('2');
    }
  });

  it('types digits on the keypad', () => {
    expect(characterFor('en-GB', 79, false, false)).toBe('1');
  });
});

describe('key actions', () => {
  it('types characters on key down and on auto-repeat, not on release', () => {
    expect(keyAction(key(K.a), 'en-GB')).toEqual({ type: 'text', chars: 'a' });
    expect(keyAction(key(K.a, { repeat: true }), 'en-GB')).toEqual({ type: 'text', chars: 'a' });
    expect(keyAction(key(K.a, { down: false }), 'en-GB')).toEqual({ type: 'none' });
  });

  it('keeps words apart across a key the hook cannot name', () => {
    expect(keyAction(key(0), 'en-GB')).toEqual({ type: 'text', chars: '\uFFFD' });
  });

  it('edits, ends phrases and moves the caret', () => {
    expect(keyAction(key(K.backspace), 'en-GB')).toEqual({ type: 'backspace' });
    expect(keyAction(key(K.enter), 'en-GB')).toEqual({ type: 'boundary' });
    expect(keyAction(key(K.tab), 'en-GB')).toEqual({ type: 'boundary' });
    expect(keyAction(key(K.left), 'en-GB')).toEqual({ type: 'caret' });
    expect(keyAction({ kind: 'pointer' }, 'en-GB')).toEqual({ type: 'caret' });
  });

  it('ignores shortcuts, but forgets the phrase on ones that edit text unseen', () => {
    expect(keyAction(key(K.c, { ctrl: true }), 'en-GB')).toEqual({ type: 'none' });
    expect(keyAction(key(K.a, { meta: true }), 'en-GB')).toEqual({ type: 'caret' });
    expect(keyAction(key(K.v, { ctrl: true }), 'en-GB')).toEqual({ type: 'caret' });
    expect(keyAction(key(K.backspace, { ctrl: true }), 'en-GB')).toEqual({ type: 'caret' });
    expect(keyAction(key(K.two, { alt: true }), 'en-GB')).toEqual({ type: 'none' });
    expect(keyAction(key(42, { shift: true }), 'en-GB')).toEqual({ type: 'none' });
  });
});
