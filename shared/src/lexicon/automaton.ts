import { SEP } from './normalise.js';
import type { PatternSet } from './pattern-set.js';

export const ROOT = 0;
export const DEAD = -1;

/**
 * A word-anchored Aho–Corasick automaton over normalised text, stored in typed arrays.
 *
 * Patterns may only start at the beginning of a word, so the failure links only point at suffixes
 * that begin after a separator; when nothing fits, the automaton is DEAD until the next separator
 * and skips the rest of the word. That is one pass, and no term ever starts inside a word.
 *
 * States are numbered breadth first with each state's children in symbol order, so a state's
 * edges are one sorted run of `edgeChar` and the edge at index e leads to state e + 1: no target
 * array, and the states near the root, which the text visits most, sit together in memory.
 */
export class Automaton {
  /** Character code → alphabet index (0: a character no pattern uses). */
  readonly alpha: Uint16Array;
  readonly sepIndex: number;
  readonly rootNext: Int32Array;
  /** Edges of state s: indices edgeStart[s] .. edgeStart[s + 1] - 1; edge e leads to state e + 1. */
  readonly edgeStart: Int32Array;
  readonly edgeChar: Uint16Array;
  readonly fail: Int32Array;
  /** First state with output in the failure chain, the state itself included; -1 for none. */
  readonly firstOut: Int32Array;
  readonly outLink: Int32Array;
  readonly outStart: Int32Array;
  readonly outPattern: Int32Array;
  readonly depth: Uint16Array;
  /** 1 where the state lies on the path of an exception. */
  readonly flagged: Uint8Array;
  readonly states: number;

  /** Exceptions' states are flagged (a stream holds matches back while one could complete). */
  constructor(patterns: PatternSet) {
    const used = new Uint8Array(65_536);
    used[SEP] = 1;
    const total = patterns.start[patterns.count] as number;
    for (let i = 0; i < total; i++) used[patterns.codes[i] as number] = 1;
    const alpha = new Uint16Array(65_536);
    let alphabetSize = 1;
    for (let c = 0; c < 65_536; c++) if (used[c] === 1) alpha[c] = alphabetSize++;
    this.alpha = alpha;
    this.sepIndex = alpha[SEP] as number;

    const trie = buildTrie(patterns, alpha, alphabetSize, total);
    const flat = flatten(trie, patterns.count);
    this.states = trie.states;
    this.edgeStart = flat.edgeStart;
    this.edgeChar = flat.edgeChar;
    this.depth = flat.depth;
    this.outStart = flat.outStart;
    this.outPattern = flat.outPattern;
    const rootNext = new Int32Array(alphabetSize).fill(-1);
    for (let e = 0; e < (flat.edgeStart[1] as number); e++) rootNext[flat.edgeChar[e] as number] = e + 1;
    this.rootNext = rootNext;
    const links = failureLinks(flat.edgeStart, flat.edgeChar, rootNext, flat.outStart, this.sepIndex);
    this.fail = links.fail;
    this.outLink = links.outLink;
    this.firstOut = links.firstOut;
    this.flagged = new Uint8Array(trie.states);
    for (let i = 0; i < patterns.count; i++) {
      if ((patterns.owner[i] as number) >= 0) continue;
      let state = ROOT;
      for (let k = patterns.start[i] as number; k < (patterns.start[i + 1] as number); k++) {
        state = this.next(state, alpha[patterns.codes[k] as number] as number);
        this.flagged[state] = 1;
      }
    }
  }

  /** The goto function: the state after `symbol`, or -1. */
  next(state: number, symbol: number): number {
    return gotoState(state, symbol, this.rootNext, this.edgeStart, this.edgeChar);
  }

  /** One transition of the automaton, failure links included. */
  step(state: number, symbol: number): number {
    for (;;) {
      if (state === DEAD) return symbol === this.sepIndex ? ROOT : DEAD;
      const g = this.next(state, symbol);
      if (g !== -1) return g;
      if (state === ROOT) return symbol === this.sepIndex ? ROOT : DEAD;
      state = this.fail[state] as number;
    }
  }

  /** Approximate bytes held by the typed arrays. */
  get byteSize(): number {
    return [
      this.alpha,
      this.rootNext,
      this.edgeStart,
      this.edgeChar,
      this.fail,
      this.firstOut,
      this.outLink,
      this.outStart,
      this.outPattern,
      this.depth,
      this.flagged,
    ].reduce((sum, a) => sum + a.byteLength, 0);
  }
}

// One record per trie state while building, fields side by side so a visit touches one cache line.
const FIRST_CHILD = 0;
const NEXT_SIBLING = 1;
const SYMBOL = 2;
const OUT_HEAD = 3;
const RECORD = 4;

/** A trie in insertion order, children as linked lists (a dense table at the root). */
interface Trie {
  states: number;
  records: Int32Array;
  outNext: Int32Array;
}

function buildTrie(patterns: PatternSet, alpha: Uint16Array, alphabetSize: number, total: number): Trie {
  const records = new Int32Array((total + 1) * RECORD);
  records[FIRST_CHILD] = -1;
  records[NEXT_SIBLING] = -1;
  records[OUT_HEAD] = -1;
  const outNext = new Int32Array(patterns.count);
  const rootChild = new Int32Array(alphabetSize).fill(-1);
  let states = 1;
  const codes = patterns.codes;
  for (let index = 0; index < patterns.count; index++) {
    const from = patterns.start[index] as number;
    const length = (patterns.start[index + 1] as number) - from;
    let s = ROOT;
    for (let j = 0; j < length; j++) {
      const sym = alpha[codes[from + j] as number] as number;
      let t: number;
      if (s === ROOT) {
        t = rootChild[sym] as number;
      } else {
        t = records[s * RECORD + FIRST_CHILD] as number;
        while (t !== -1 && records[t * RECORD + SYMBOL] !== sym)
          t = records[t * RECORD + NEXT_SIBLING] as number;
      }
      if (t === -1) {
        t = states++;
        const r = t * RECORD;
        records[r + SYMBOL] = sym;
        records[r + FIRST_CHILD] = -1;
        records[r + OUT_HEAD] = -1;
        records[r + NEXT_SIBLING] = records[s * RECORD + FIRST_CHILD] as number;
        records[s * RECORD + FIRST_CHILD] = t;
        if (s === ROOT) rootChild[sym] = t;
      }
      s = t;
    }
    outNext[index] = records[s * RECORD + OUT_HEAD] as number;
    records[s * RECORD + OUT_HEAD] = index;
  }
  return { states, records, outNext };
}

/** Renumbers the trie breadth first, children sorted by symbol, into flat arrays. */
function flatten(trie: Trie, patternCount: number) {
  const { states, records, outNext } = trie;
  const order = new Int32Array(states); // new number → old number
  const edgeStart = new Int32Array(states + 1);
  const edgeChar = new Uint16Array(Math.max(0, states - 1));
  const depth = new Uint16Array(states);
  const outStart = new Int32Array(states + 1);
  const outPattern = new Int32Array(patternCount);
  let o = 0;
  let tail = 1;
  order[0] = ROOT;
  for (let n = 0; n < states; n++) {
    const r = (order[n] as number) * RECORD;
    outStart[n] = o;
    for (let p = records[r + OUT_HEAD] as number; p !== -1; p = outNext[p] as number) outPattern[o++] = p;
    edgeStart[n] = tail - 1;
    const first = tail;
    for (
      let t = records[r + FIRST_CHILD] as number;
      t !== -1;
      t = records[t * RECORD + NEXT_SIBLING] as number
    ) {
      // insertion sort by symbol: most states have one child
      const sym = records[t * RECORD + SYMBOL] as number;
      let j = tail++;
      while (j > first && (edgeChar[j - 2] as number) > sym) {
        order[j] = order[j - 1] as number;
        edgeChar[j - 1] = edgeChar[j - 2] as number;
        j--;
      }
      order[j] = t;
      edgeChar[j - 1] = sym;
    }
    for (let j = first; j < tail; j++) depth[j] = (depth[n] as number) + 1;
  }
  edgeStart[states] = states - 1;
  outStart[states] = o;
  return { edgeStart, edgeChar, depth, outStart, outPattern };
}

function gotoState(
  state: number,
  symbol: number,
  rootNext: Int32Array,
  edgeStart: Int32Array,
  edgeChar: Uint16Array,
): number {
  if (state === ROOT) return rootNext[symbol] as number;
  const b = edgeStart[state + 1] as number;
  for (let e = edgeStart[state] as number; e < b; e++) {
    const c = edgeChar[e] as number;
    if (c === symbol) return e + 1;
    if (c > symbol) return -1;
  }
  return -1;
}

/**
 * Failure links, in state order (which is breadth first): the longest proper suffix of a state's
 * string that starts after a separator and is a state; ROOT right after a separator, DEAD inside
 * a word.
 */
function failureLinks(
  edgeStart: Int32Array,
  edgeChar: Uint16Array,
  rootNext: Int32Array,
  outStart: Int32Array,
  sepIndex: number,
): { fail: Int32Array; outLink: Int32Array; firstOut: Int32Array } {
  const states = edgeStart.length - 1;
  const fail = new Int32Array(states);
  const outLink = new Int32Array(states).fill(-1);
  const firstOut = new Int32Array(states).fill(-1);
  fail[ROOT] = DEAD;
  for (let u = 0; u < states; u++) {
    const fu = fail[u] as number;
    const end = edgeStart[u + 1] as number;
    for (let e = edgeStart[u] as number; e < end; e++) {
      const c = edgeChar[e] as number;
      const v = e + 1;
      let target = c === sepIndex ? ROOT : DEAD;
      for (let f = fu; f !== DEAD; f = fail[f] as number) {
        const g = gotoState(f, c, rootNext, edgeStart, edgeChar);
        if (g !== -1) {
          target = g;
          break;
        }
      }
      fail[v] = target;
      if (target > ROOT) {
        outLink[v] =
          (outStart[target + 1] as number) > (outStart[target] as number)
            ? target
            : (outLink[target] as number);
      }
      firstOut[v] = (outStart[v + 1] as number) > (outStart[v] as number) ? v : (outLink[v] as number);
    }
  }
  return { fail, outLink, firstOut };
}
