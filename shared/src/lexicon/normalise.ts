import { foldCodePoint, Kind } from './fold.js';

/** The separator between words in normalised text. */
export const SEP = 32;

/**
 * Normalised text with an offset map back to the original. Each normalised character stands for a
 * run of identical letters in the original (`runs` is the run's length, so `killll` is `k i l`
 * with runs 1 1 4) and `starts`/`ends` give its UTF-16 span in the original.
 * Words are separated by exactly one SEP. Buffers are reused between calls.
 */
export class NormalisedText {
  length = 0;
  codes = new Uint16Array(256);
  runs = new Uint8Array(256);
  starts = new Int32Array(256);
  ends = new Int32Array(256);

  reserve(n: number): void {
    if (n <= this.codes.length) return;
    const size = Math.max(n, this.codes.length * 2);
    this.codes = grow(this.codes, new Uint16Array(size));
    this.runs = grow(this.runs, new Uint8Array(size));
    this.starts = grow(this.starts, new Int32Array(size));
    this.ends = grow(this.ends, new Int32Array(size));
  }

  /** The normalised characters as a string (tests and debugging). */
  toString(): string {
    let s = '';
    for (let i = 0; i < this.length; i++)
      s += String.fromCharCode(this.codes[i] as number).repeat(this.runs[i] as number);
    return s;
  }
}

function grow<T extends Uint16Array | Uint8Array | Int32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

const IGNORED = 4; // a separator swallowed by a spaced-out word (`k i l l`)
// Kinds as plain constants: the hot loops below compare them per character.
const SEP_KIND: number = Kind.Sep;
const LETTER: number = Kind.Letter;
const LEET_SYMBOL: number = Kind.LeetSymbol;

// Leetspeak digits and symbols, read as letters only inside a word that has letters.
const LEET = new Uint16Array(128);
for (const [from, to] of Object.entries({
  '0': 'o',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '8': 'b',
  '9': 'g',
  '@': 'a',
  $: 's',
  '+': 't',
})) {
  LEET[from.charCodeAt(0)] = to.charCodeAt(0);
}
const EURO = 0x20ac;
const isOneLike = (c: number): boolean => c === 49 /* 1 */ || c === 33 /* ! */ || c === 124; /* | */
// `!` and `+` end sentences and numbers (`wow!`, `5+`); `|` is read as a letter wherever it touches one.
const isEdgeSymbol = (c: number): boolean => c === 33 || c === 43; /* ! + */

// Scratch atoms: one per folded character, reused between calls.
let aCode = new Uint16Array(256);
let aKind = new Uint8Array(256);
let aStart = new Int32Array(256);
let aEnd = new Int32Array(256);
let tokA = new Int32Array(64);
let tokB = new Int32Array(64);

function reserveAtoms(n: number): void {
  if (n <= aCode.length) return;
  const size = Math.max(n, aCode.length * 2);
  aCode = grow(aCode, new Uint16Array(size));
  aKind = grow(aKind, new Uint8Array(size));
  aStart = grow(aStart, new Int32Array(size));
  aEnd = grow(aEnd, new Int32Array(size));
}

function reserveTokens(n: number): void {
  if (n <= tokA.length) return;
  const size = Math.max(n, tokA.length * 2);
  tokA = grow(tokA, new Int32Array(size));
  tokB = grow(tokB, new Int32Array(size));
}

/**
 * Normalises `text.slice(from, to)` into `out` (offsets stay relative to the whole `text`).
 * Steps, in order: fold each code point (NFKD, case, marks, zero-width, confusables); split into
 * words; drop `!` and `+` at a word's edges (punctuation); join spaced-out letters (`k i l l`,
 * `k.i.l.l`); read leetspeak inside words that contain a letter; squeeze runs of identical letters.
 */
export function normalise(text: string, out: NormalisedText, from = 0, to = text.length): void {
  const atoms = foldAtoms(text, from, to);
  const tokens = findTokens(atoms);
  joinSpacedLetters(tokens);
  emit(atoms, tokens, out);
  if (aCode.length > LARGE) releaseScratch();
}

/** Scratch space beyond this many characters is given back after use (a huge line was matched). */
const LARGE = 1 << 20;

function releaseScratch(): void {
  aCode = new Uint16Array(256);
  aKind = new Uint8Array(256);
  aStart = new Int32Array(256);
  aEnd = new Int32Array(256);
  tokA = new Int32Array(64);
  tokB = new Int32Array(64);
}

// ASCII folds to one character each: tables instead of the general path.
const ASCII_CODE = new Uint16Array(128);
const ASCII_KIND = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const f = foldCodePoint(c);
  ASCII_KIND[c] = f.kinds[0] ?? Kind.Sep;
  ASCII_CODE[c] = ASCII_KIND[c] === Kind.Sep ? c : (f.codes[0] as number);
}

function foldAtoms(text: string, from: number, to: number): number {
  reserveAtoms((to - from) * 2 + 8);
  let n = 0;
  for (let i = from; i < to;) {
    const unit = text.charCodeAt(i);
    if (unit < 128) {
      aCode[n] = ASCII_CODE[unit] as number;
      aKind[n] = ASCII_KIND[unit] as number;
      aStart[n] = i;
      aEnd[n] = ++i;
      n++;
      continue;
    }
    const cp = text.codePointAt(i) as number;
    const width = cp > 0xffff ? 2 : 1;
    const folded = foldCodePoint(cp);
    const codes = folded.codes;
    // A character that folds to nothing (a combining mark, a zero-width joiner) belongs to the
    // character before it: a match ending there must end after it, or the highlight splits `é`.
    if (codes.length === 0 && n > 0 && aEnd[n - 1] === i) aEnd[n - 1] = i + width;
    if (codes.length > 2) reserveAtoms(n + codes.length + (to - i) * 2);
    for (let k = 0; k < codes.length; k++) {
      const kind = folded.kinds[k] as number;
      // Separators keep their original character: `k.i.l.l` needs to know the gaps are all dots.
      aCode[n] = kind === Kind.Sep ? text.charCodeAt(i) : (codes[k] as number);
      aKind[n] = kind;
      aStart[n] = i;
      aEnd[n] = i + width;
      n++;
    }
    i += width;
  }
  return n;
}

/** Finds words (maximal runs of non-separators) after dropping edge symbols; returns their count. */
function findTokens(n: number): number {
  const kinds = aKind;
  const chars = aCode;
  let count = 0;
  let i = 0;
  while (i < n) {
    if (kinds[i] === SEP_KIND) {
      i++;
      continue;
    }
    let a = i;
    while (i < n && kinds[i] !== SEP_KIND) i++;
    let b = i;
    while (a < b && kinds[a] === LEET_SYMBOL && isEdgeSymbol(chars[a] as number)) kinds[a++] = SEP_KIND;
    while (b > a && kinds[b - 1] === LEET_SYMBOL && isEdgeSymbol(chars[b - 1] as number))
      kinds[--b] = SEP_KIND;
    if (a === b) continue;
    let hasLetter = false;
    for (let k = a; k < b; k++) if (kinds[k] === LETTER) hasLetter = true;
    if (!hasLetter) {
      // `$5`, `!!!`: no letter to read the symbols as; they are punctuation, digits stay digits.
      let k = a;
      while (k < b) {
        while (k < b && kinds[k] === LEET_SYMBOL) kinds[k++] = SEP_KIND;
        const s = k;
        while (k < b && kinds[k] !== LEET_SYMBOL) k++;
        if (k > s) {
          reserveTokens(count + 1);
          tokA[count] = s;
          tokB[count++] = k;
        }
      }
      continue;
    }
    reserveTokens(count + 1);
    tokA[count] = a;
    tokB[count++] = b;
  }
  return count;
}

/** A one-letter word glued to the word before by an apostrophe: the `s` of `he's`, the `t` of `don't`. */
function isContraction(t: number): boolean {
  if (t === 0) return false;
  const gap = tokB[t - 1] as number;
  if ((tokA[t] as number) - gap !== 1) return false;
  const c = aCode[gap] as number;
  return c === 39 || c === 0x2019 || c === 0x60;
}

/**
 * Joins three or more one-character words separated by the same single character (`k i l l`,
 * `k.i.l.l`, `k-i-l-l`) into one word, by marking the gaps ignored. Two letters are required so a
 * list of numbers stays numbers. English rarely puts three one-letter words in a row.
 */
function joinSpacedLetters(count: number): void {
  let t = 0;
  while (t < count) {
    if ((tokB[t] as number) - (tokA[t] as number) !== 1 || isContraction(t)) {
      t++;
      continue;
    }
    let u = t;
    let gapCode = -1;
    while (u + 1 < count && (tokB[u + 1] as number) - (tokA[u + 1] as number) === 1) {
      const gapStart = tokB[u] as number;
      if ((tokA[u + 1] as number) - gapStart !== 1) break;
      const code = aCode[gapStart] as number;
      if (gapCode === -1) gapCode = code;
      else if (code !== gapCode) break;
      u++;
    }
    let merged = false;
    if (u - t >= 2) {
      let letters = 0;
      for (let k = t; k <= u; k++) if (aKind[tokA[k] as number] === LETTER) letters++;
      if (letters >= 2) {
        // A leading `a` or `i` is most often the English word (`i c u t`, `a p a k i`): it stays a
        // word of its own, and terms that start with those letters get a matching spelling.
        const lead = aCode[tokA[t] as number] as number;
        const first = u - t >= 3 && gapCode === 32 && (lead === 97 || lead === 105) ? t + 1 : t;
        for (let k = first; k < u; k++) aKind[tokB[k] as number] = IGNORED;
        tokB[first] = tokB[u] as number;
        for (let k = first + 1; k <= u; k++) tokA[k] = -1; // merged into `first`
        merged = true;
      }
    }
    // A run broken by a different gap may start a new run at its last letter (`i w.a.n.t`).
    t = merged || u === t ? u + 1 : u;
  }
}

function emit(atomCount: number, count: number, out: NormalisedText): void {
  out.reserve(atomCount + count + 2);
  const codes = out.codes;
  const runs = out.runs;
  const starts = out.starts;
  const ends = out.ends;
  const kinds = aKind;
  const chars = aCode;
  const atomStart = aStart;
  const atomEnd = aEnd;
  let n = 0;
  let lastEnd = 0;
  for (let t = 0; t < count; t++) {
    const a = tokA[t] as number;
    if (a < 0) continue;
    const b = tokB[t] as number;
    if (n > 0) {
      codes[n] = SEP;
      runs[n] = 1;
      starts[n] = lastEnd;
      ends[n] = atomStart[a] as number;
      n++;
    }
    let hasLetter = false;
    for (let k = a; k < b; k++) if (kinds[k] === LETTER) hasLetter = true;
    let prev = -1;
    for (let k = a; k < b; k++) {
      const kind = kinds[k];
      if (kind === IGNORED) continue;
      let code = chars[k] as number;
      if (hasLetter && kind !== LETTER) {
        if (isOneLike(code)) {
          // A lone `1` or `!` reads as i (`k1ll`, `su!c!de`), `|` and pairs as l (`myse|f`, `ki11`, `ki!!`).
          const before = k > a && isOneLike(chars[k - 1] as number) && kinds[k - 1] !== LETTER;
          const after = k + 1 < b && isOneLike(chars[k + 1] as number) && kinds[k + 1] !== LETTER;
          code = before || after || code === 124 ? 108 : 105;
        } else if (code === EURO) {
          code = 101;
        } else if (code < 128 && LEET[code] !== 0) {
          code = LEET[code] as number;
        }
      }
      if (code === prev) {
        runs[n - 1] = Math.min(255, (runs[n - 1] as number) + 1); // any long run is emphasis
        ends[n - 1] = atomEnd[k] as number;
      } else {
        codes[n] = code;
        runs[n] = 1;
        starts[n] = atomStart[k] as number;
        ends[n] = atomEnd[k] as number;
        n++;
        prev = code;
      }
    }
    lastEnd = atomEnd[b - 1] as number;
  }
  // A trailing separator tells a stream that the last word is finished.
  if (
    n > 0 &&
    atomCount > 0 &&
    kinds[atomCount - 1] !== IGNORED &&
    lastEnd < (atomEnd[atomCount - 1] as number)
  ) {
    codes[n] = SEP;
    runs[n] = 1;
    starts[n] = lastEnd;
    ends[n] = atomEnd[atomCount - 1] as number;
    n++;
  }
  out.length = n;
}
