import { CONFUSABLES } from './confusables.js';

/** What a folded character is to the tokenizer. */
export const Kind = {
  /** Space, punctuation, emoji: separates words. */
  Sep: 0,
  Letter: 1,
  Digit: 2,
  /** `@ $ ! | + €`: a letter inside a word with letters (leetspeak), punctuation elsewhere. */
  LeetSymbol: 3,
} as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

/**
 * One code point folded: the characters it stands for, each with its kind. An empty result means
 * the code point is ignorable (combining marks, zero-width and other format characters), so
 * `k\u200Bill` and `kíll` both read as `kill`.
 */
export interface Folded {
  readonly codes: readonly number[];
  readonly kinds: readonly Kind[];
}

const IGNORABLE = /^[\p{M}\p{Cf}]$/u;
const LETTER = /^\p{L}$/u;
const MARKS = /\p{M}/gu;
const LEET_SYMBOLS = new Set(['@', '$', '!', '|', '+', '€']);

const SEP: Folded = { codes: [32], kinds: [Kind.Sep] };
const NOTHING: Folded = { codes: [], kinds: [] };

function kindOf(ch: string): Kind {
  if (ch >= 'a' && ch <= 'z') return Kind.Letter;
  if (ch >= '0' && ch <= '9') return Kind.Digit;
  if (LEET_SYMBOLS.has(ch)) return Kind.LeetSymbol;
  return LETTER.test(ch) ? Kind.Letter : Kind.Sep;
}

function foldSlow(cp: number): Folded {
  const original = String.fromCodePoint(cp);
  if (IGNORABLE.test(original)) return NOTHING;
  // NFKD then marks removed: compatibility forms (fullwidth, ligatures, math letters) and accents go.
  const lowered = original.normalize('NFKD').toLowerCase().normalize('NFKD').replace(MARKS, '');
  const codes: number[] = [];
  const kinds: Kind[] = [];
  for (const ch of lowered) {
    const mapped = CONFUSABLES[ch] ?? ch;
    for (const m of mapped) {
      const kind = kindOf(m);
      if (kind === Kind.Sep) {
        if (kinds[kinds.length - 1] !== Kind.Sep) {
          codes.push(32);
          kinds.push(Kind.Sep);
        }
        continue;
      }
      const code = m.length === 1 ? m.charCodeAt(0) : 0xfffd; // astral letters: one opaque letter
      codes.push(code);
      kinds.push(kind);
    }
  }
  if (codes.length === 0) return NOTHING;
  if (codes.length === 1 && kinds[0] === Kind.Sep) return SEP;
  return { codes, kinds };
}

const ascii: Folded[] = [];
for (let c = 0; c < 128; c++) ascii.push(foldSlow(c));
const cache = new Map<number, Folded>();

/** Folds one code point (cached: text repeats its characters). */
export function foldCodePoint(cp: number): Folded {
  if (cp < 128) return ascii[cp] as Folded;
  let f = cache.get(cp);
  if (f === undefined) {
    f = foldSlow(cp);
    if (cache.size < 65_536) cache.set(cp, f);
  }
  return f;
}
