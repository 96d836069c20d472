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

    const flat = buildLevels(patterns, alpha, total);
    this.states = flat.states;
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
    this.flagged = new Uint8Array(flat.states);
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

/**
 * Builds the trie directly in breadth-first numbering from the patterns in sorted order: the states
 * at depth d are the distinct length-d prefixes, in sorted order, and a new one begins wherever a
 * pattern shares fewer than d characters with the previous pattern long enough to have one. Every
 * pass is a sequential sweep over the patterns, with no hashing and no pointer chasing.
 */
function buildLevels(patterns: PatternSet, alpha: Uint16Array, total: number) {
  const count = patterns.count;
  const order = sortedOrder(patterns);
  // The characters gathered in sorted order, so every sweep below reads memory forwards.
  const codes = new Uint16Array(total);
  const from = new Int32Array(count);
  const length = new Int32Array(count);
  const lcp = new Int32Array(count);
  let at = 0;
  for (let k = 0; k < count; k++) {
    const p = order[k] as number;
    const a = patterns.start[p] as number;
    const n = (patterns.start[p + 1] as number) - a;
    for (let i = 0; i < n; i++) codes[at + i] = alpha[patterns.codes[a + i] as number] as number;
    from[k] = at;
    length[k] = n;
    if (k > 0) {
      const b = from[k - 1] as number;
      const m = Math.min(length[k - 1] as number, n);
      let c = 0;
      while (c < m && codes[b + c] === codes[at + c]) c++;
      lcp[k] = c;
    }
    at += n;
  }
  const edgeChar = new Uint16Array(total);
  const childCount = new Int32Array(total + 1);
  const depth = new Uint16Array(total + 1);
  const terminal = new Int32Array(count);
  const current = new Int32Array(count); // state of each pattern's prefix at the previous depth
  // The patterns still long enough at this depth, with each one's LCP with the one before it.
  const active = new Int32Array(count);
  const activeLcp = new Int32Array(count);
  let activeCount = 0;
  for (let k = 0; k < count; k++) {
    if ((length[k] as number) === 0) continue;
    active[activeCount] = k;
    activeLcp[activeCount++] = lcp[k] as number;
  }
  let states = 1;
  for (let d = 1; activeCount > 0; d++) {
    let last = ROOT;
    let kept = 0;
    let carry = Number.MAX_SAFE_INTEGER;
    for (let j = 0; j < activeCount; j++) {
      const k = active[j] as number;
      const shared = activeLcp[j] as number;
      let state = last;
      if (j === 0 || shared < d) {
        state = states++;
        const parent = current[k] as number;
        edgeChar[state - 1] = codes[(from[k] as number) + d - 1] as number;
        childCount[parent] = (childCount[parent] as number) + 1;
        depth[state] = d;
      }
      current[k] = state;
      last = state;
      if (shared < carry) carry = shared;
      if ((length[k] as number) === d) {
        terminal[k] = state;
      } else {
        active[kept] = k;
        activeLcp[kept++] = carry;
        carry = Number.MAX_SAFE_INTEGER;
      }
    }
    activeCount = kept;
  }
  const edgeStart = new Int32Array(states + 1);
  for (let s = 0; s < states; s++) edgeStart[s + 1] = (edgeStart[s] as number) + (childCount[s] as number);
  const outStart = new Int32Array(states + 1);
  for (let k = 0; k < count; k++) {
    const t = terminal[k] as number;
    outStart[t + 1] = (outStart[t + 1] as number) + 1;
  }
  for (let s = 0; s < states; s++) outStart[s + 1] = (outStart[s + 1] as number) + (outStart[s] as number);
  const fill = outStart.slice(0, states);
  const outPattern = new Int32Array(count);
  for (let k = 0; k < count; k++) {
    const t = terminal[k] as number;
    const at = fill[t] as number;
    fill[t] = at + 1;
    outPattern[at] = order[k] as number;
  }
  return {
    states,
    edgeStart,
    edgeChar: edgeChar.slice(0, states - 1),
    depth: depth.slice(0, states),
    outStart,
    outPattern,
  };
}

/** Pattern indices in lexicographic order of their characters (prefixes first). */
function sortedOrder(patterns: PatternSet): Int32Array {
  const { codes, start } = patterns;
  const order = new Int32Array(patterns.count);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((x, y) => {
    const a = start[x] as number;
    const b = start[y] as number;
    const la = (start[x + 1] as number) - a;
    const lb = (start[y + 1] as number) - b;
    const n = la < lb ? la : lb;
    for (let i = 0; i < n; i++) {
      const d = (codes[a + i] as number) - (codes[b + i] as number);
      if (d !== 0) return d;
    }
    return la - lb || x - y;
  });
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
