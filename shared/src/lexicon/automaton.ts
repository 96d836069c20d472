import { SEP } from './normalise.js';

/** A pattern to compile: normalised characters with the run length each had in the term. */
export interface PatternInput {
  codes: ArrayLike<number>;
  runs: ArrayLike<number>;
}

export const ROOT = 0;
export const DEAD = -1;

/**
 * A word-anchored Aho–Corasick automaton over normalised text, stored in typed arrays.
 *
 * Patterns may only start at the beginning of a word, so the failure links only point at suffixes
 * that begin after a separator; when nothing fits, the automaton is DEAD until the next separator
 * and skips the rest of the word. That is one pass, and no term ever starts inside a word.
 * Transitions are sorted edge lists per state (CSR), with a dense table for the root.
 */
export class Automaton {
  /** Character code → alphabet index (0: a character no pattern uses). */
  readonly alpha: Uint16Array;
  readonly sepIndex: number;
  readonly rootNext: Int32Array;
  readonly edgeStart: Int32Array;
  readonly edgeChar: Uint16Array;
  readonly edgeTo: Int32Array;
  readonly fail: Int32Array;
  /** First state with output in the failure chain, the state itself included; -1 for none. */
  readonly firstOut: Int32Array;
  readonly outLink: Int32Array;
  readonly outStart: Int32Array;
  readonly outPattern: Int32Array;
  readonly depth: Uint16Array;
  /** 1 where the state lies on the path of a pattern marked in `prefixFlagged`. */
  readonly flagged: Uint8Array;
  readonly states: number;

  constructor(patterns: readonly PatternInput[], prefixFlagged: (index: number) => boolean) {
    const used = new Uint8Array(65_536);
    used[SEP] = 1;
    let total = 0;
    for (const p of patterns) {
      for (let i = 0; i < p.codes.length; i++) used[p.codes[i] as number] = 1;
      total += p.codes.length;
    }
    const alpha = new Uint16Array(65_536);
    let alphabetSize = 1;
    for (let c = 0; c < 65_536; c++) if (used[c] === 1) alpha[c] = alphabetSize++;
    this.alpha = alpha;
    this.sepIndex = alpha[SEP] as number;

    // The trie: children as linked lists while building (a dense table at the root, where the
    // fan-out is), then flattened into sorted edge lists.
    const capacity = total + 1;
    const firstChild = new Int32Array(capacity).fill(-1);
    const nextSibling = new Int32Array(capacity).fill(-1);
    const symbol = new Uint16Array(capacity);
    const depth = new Uint16Array(capacity);
    const flagged = new Uint8Array(capacity);
    const outHead = new Int32Array(capacity).fill(-1);
    const outNext = new Int32Array(patterns.length);
    const rootChild = new Int32Array(alphabetSize).fill(-1);
    let states = 1;
    patterns.forEach((p, index) => {
      const flag = prefixFlagged(index);
      let s = ROOT;
      for (let j = 0; j < p.codes.length; j++) {
        const sym = alpha[p.codes[j] as number] as number;
        let t = s === ROOT ? (rootChild[sym] as number) : (firstChild[s] as number);
        if (s !== ROOT) while (t !== -1 && symbol[t] !== sym) t = nextSibling[t] as number;
        if (t === -1) {
          t = states++;
          symbol[t] = sym;
          depth[t] = j + 1;
          if (s === ROOT) rootChild[sym] = t;
          nextSibling[t] = firstChild[s] as number;
          firstChild[s] = t;
        }
        if (flag) flagged[t] = 1;
        s = t;
      }
      outNext[index] = outHead[s] as number;
      outHead[s] = index;
    });
    this.states = states;
    this.depth = depth.slice(0, states);
    this.flagged = flagged.slice(0, states);

    const edgeStart = new Int32Array(states + 1);
    const edgeChar = new Uint16Array(Math.max(0, states - 1));
    const edgeTo = new Int32Array(Math.max(0, states - 1));
    let e = 0;
    for (let s = 0; s < states; s++) {
      edgeStart[s] = e;
      const a = e;
      for (let t = firstChild[s] as number; t !== -1; t = nextSibling[t] as number) {
        // insertion sort by symbol: most states have one child
        const sym = symbol[t] as number;
        let j = e++;
        while (j > a && (edgeChar[j - 1] as number) > sym) {
          edgeChar[j] = edgeChar[j - 1] as number;
          edgeTo[j] = edgeTo[j - 1] as number;
          j--;
        }
        edgeChar[j] = sym;
        edgeTo[j] = t;
      }
    }
    edgeStart[states] = e;
    this.edgeStart = edgeStart;
    this.edgeChar = edgeChar;
    this.edgeTo = edgeTo;
    const rootNext = new Int32Array(alphabetSize).fill(-1);
    for (let i = edgeStart[0] as number; i < (edgeStart[1] as number); i++) {
      rootNext[edgeChar[i] as number] = edgeTo[i] as number;
    }
    this.rootNext = rootNext;

    const outStart = new Int32Array(states + 1);
    const outPattern = new Int32Array(patterns.length);
    let o = 0;
    for (let s = 0; s < states; s++) {
      outStart[s] = o;
      for (let p = outHead[s] as number; p !== -1; p = outNext[p] as number) outPattern[o++] = p;
    }
    outStart[states] = o;
    this.outStart = outStart;
    this.outPattern = outPattern;

    const { fail, outLink, firstOut } = failureLinks(
      edgeStart,
      edgeChar,
      edgeTo,
      rootNext,
      outStart,
      this.sepIndex,
    );
    this.fail = fail;
    this.outLink = outLink;
    this.firstOut = firstOut;
  }

  /** The goto function: the state after `symbol`, or -1. */
  next(state: number, symbol: number): number {
    return gotoState(state, symbol, this.rootNext, this.edgeStart, this.edgeChar, this.edgeTo);
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
      this.edgeTo,
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

/** Goto on the flat arrays (also used while building, before the automaton object is complete). */
function gotoState(
  state: number,
  symbol: number,
  rootNext: Int32Array,
  edgeStart: Int32Array,
  edgeChar: Uint16Array,
  edgeTo: Int32Array,
): number {
  if (state === ROOT) return rootNext[symbol] as number;
  const b = edgeStart[state + 1] as number;
  for (let e = edgeStart[state] as number; e < b; e++) {
    const c = edgeChar[e] as number;
    if (c === symbol) return edgeTo[e] as number;
    if (c > symbol) return -1;
  }
  return -1;
}

/**
 * Failure links, breadth first: the longest proper suffix of a state's string that starts after a
 * separator and is a trie state; ROOT right after a separator, DEAD inside a word.
 */
function failureLinks(
  edgeStart: Int32Array,
  edgeChar: Uint16Array,
  edgeTo: Int32Array,
  rootNext: Int32Array,
  outStart: Int32Array,
  sepIndex: number,
): { fail: Int32Array; outLink: Int32Array; firstOut: Int32Array } {
  const states = edgeStart.length - 1;
  const fail = new Int32Array(states);
  const outLink = new Int32Array(states).fill(-1);
  const firstOut = new Int32Array(states).fill(-1);
  fail[ROOT] = DEAD;
  const queue = new Int32Array(states);
  let head = 0;
  let tail = 0;
  queue[tail++] = ROOT;
  while (head < tail) {
    const u = queue[head++] as number;
    const fu = fail[u] as number;
    const end = edgeStart[u + 1] as number;
    for (let e = edgeStart[u] as number; e < end; e++) {
      const c = edgeChar[e] as number;
      const v = edgeTo[e] as number;
      let target = c === sepIndex ? ROOT : DEAD;
      for (let f = fu; f !== DEAD; f = fail[f] as number) {
        const g = gotoState(f, c, rootNext, edgeStart, edgeChar, edgeTo);
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
      queue[tail++] = v;
    }
  }
  return { fail, outLink, firstOut };
}
