import type { Category, Severity } from '../protocol/categories.js';
import { Automaton, DEAD, ROOT } from './automaton.js';
import type { LexiconMatch } from './engine-types.js';
import { NormalisedText, SEP, normalise } from './normalise.js';
import type { PatternSet } from './pattern-set.js';

/** What a compiled entry reports. */
export interface EntryInfo {
  readonly category: Category;
  readonly severity: Severity;
  readonly term: string;
  /** Bit of the category, for exceptions limited to some categories. */
  readonly categoryBit: number;
}

export interface RunResult {
  matches: LexiconMatch[];
  /** Original offset where an unfinished last word starts (Infinity when the text ends between words). */
  openFrom: number;
  /** Original offset where an exception that could still complete starts (Infinity when none). */
  pendingFrom: number;
}

interface Hit {
  entry: number;
  s: number;
  e: number;
}

/**
 * Runs the automaton over normalised text and turns pattern hits into matches: whole-word check,
 * repeated-letter check, stems extended to the end of their word, exceptions applied, and
 * overlapping matches resolved. Shared by batch matching and streams (single-threaded, so the
 * scratch buffers are safe to reuse).
 */
export class Matcher {
  readonly automaton: Automaton;
  readonly maxPatternLength: number;
  private readonly patStart: Int32Array;
  private readonly patRuns: Uint8Array;
  private readonly patOwner: Int32Array;
  private readonly patStem: Uint8Array;
  private norm = new NormalisedText();
  private readonly hitPattern: number[] = [];
  private readonly hitStart: number[] = [];
  private readonly hitEnd: number[] = [];

  constructor(
    private readonly patterns: PatternSet,
    private readonly entries: readonly EntryInfo[],
    private readonly exceptionMasks: readonly number[],
  ) {
    this.automaton = new Automaton(patterns);
    this.patStart = patterns.start;
    this.patRuns = patterns.runs;
    this.patOwner = patterns.owner;
    this.patStem = patterns.stem;
    this.maxPatternLength = patterns.maxLength;
  }

  get byteSize(): number {
    return this.automaton.byteSize + this.patterns.byteSize;
  }

  run(text: string, from = 0, to = text.length): RunResult {
    const norm = this.norm;
    normalise(text, norm, from, to);
    const state = this.scan();
    const n = norm.length;
    let openFrom = Infinity;
    if (n > 0 && norm.codes[n - 1] !== SEP) {
      let j = n - 1;
      while (j >= 0 && norm.codes[j] !== SEP) j--;
      openFrom = norm.starts[j + 1] as number;
    }
    let pending = n;
    const a = this.automaton;
    for (let s = state; s > ROOT; s = a.fail[s] as number) {
      if (a.flagged[s] === 1) pending = Math.min(pending, n - (a.depth[s] as number));
    }
    const result = {
      matches: this.resolve(),
      openFrom,
      pendingFrom: pending < n ? (norm.starts[pending] as number) : Infinity,
    };
    if (norm.codes.length > 1 << 20) this.norm = new NormalisedText(); // give a huge line's space back
    return result;
  }

  /** One pass of the automaton; collects hits and returns the final state. */
  private scan(): number {
    const { codes, runs, length: n } = this.norm;
    const a = this.automaton;
    const { alpha, rootNext, edgeStart, edgeChar, fail, firstOut, outLink, outStart, outPattern } = a;
    const sepIndex = a.sepIndex;
    const { patStart, patRuns, patStem } = this;
    this.hitPattern.length = 0;
    this.hitStart.length = 0;
    this.hitEnd.length = 0;
    let state = ROOT;
    for (let i = 0; i < n; i++) {
      const sym = alpha[codes[i] as number] as number;
      let s = state;
      for (;;) {
        if (s === DEAD) {
          state = sym === sepIndex ? ROOT : DEAD;
          break;
        }
        if (s === ROOT) {
          const g = rootNext[sym] as number;
          state = g !== -1 ? g : sym === sepIndex ? ROOT : DEAD;
          break;
        }
        let g = -1;
        const b = edgeStart[s + 1] as number;
        for (let e = edgeStart[s] as number; e < b; e++) {
          const c = edgeChar[e] as number;
          if (c >= sym) {
            if (c === sym) g = e + 1;
            break;
          }
        }
        if (g !== -1) {
          state = g;
          break;
        }
        s = fail[s] as number;
      }
      if (state <= ROOT) continue;
      for (let o = firstOut[state] as number; o !== -1; o = outLink[o] as number) {
        for (let k = outStart[o] as number; k < (outStart[o + 1] as number); k++) {
          const p = outPattern[k] as number;
          const off = patStart[p] as number;
          const len = (patStart[p + 1] as number) - off;
          const start = i + 1 - len;
          const stem = patStem[p] === 1;
          if (!stem && i + 1 < n && codes[i + 1] !== SEP) continue; // the word goes on
          let ok = true;
          for (let q = 0; q < len; q++) {
            const rx = runs[start + q] as number;
            // Same run length as the term, or a long run (emphasis: `diiiie`, `killlll`).
            if (rx !== patRuns[off + q] && rx < 3) {
              ok = false;
              break;
            }
          }
          if (!ok) continue;
          let end = i + 1;
          if (stem) while (end < n && codes[end] !== SEP) end++;
          this.hitPattern.push(p);
          this.hitStart.push(start);
          this.hitEnd.push(end);
        }
      }
    }
    return state;
  }

  /** Applies exceptions, then keeps one match per span and drops matches inside a graver one. */
  private resolve(): LexiconMatch[] {
    const count = this.hitPattern.length;
    if (count === 0) return [];
    const exceptions: Hit[] = [];
    const candidates: Hit[] = [];
    for (let h = 0; h < count; h++) {
      const owner = this.patOwner[this.hitPattern[h] as number] as number;
      const hit = { entry: owner, s: this.hitStart[h] as number, e: this.hitEnd[h] as number };
      (owner < 0 ? exceptions : candidates).push(hit);
    }
    const entries = this.entries;
    // Exceptions by start; one that overlaps a match starts less than the longest pattern before it.
    exceptions.sort((x, y) => x.s - y.s);
    const longest = this.maxPatternLength;
    const live = candidates.filter((c) => {
      const bit = (entries[c.entry] as EntryInfo).categoryBit;
      let lo = 0;
      let hi = exceptions.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((exceptions[mid] as Hit).s <= c.s - longest) lo = mid + 1;
        else hi = mid;
      }
      for (let k = lo; k < exceptions.length && (exceptions[k] as Hit).s < c.e; k++) {
        const x = exceptions[k] as Hit;
        if (c.s < x.e && ((this.exceptionMasks[-x.entry - 1] as number) & bit) !== 0) return false;
      }
      return true;
    });
    live.sort(
      (x, y) =>
        x.s - y.s ||
        y.e - x.e ||
        (entries[y.entry] as EntryInfo).severity - (entries[x.entry] as EntryInfo).severity ||
        x.entry - y.entry,
    );
    // Every kept match starts at or before the current one, so it contains the current one when
    // it ends at or after it: the furthest end kept per severity answers that.
    const kept: Hit[] = [];
    const furthest = [-1, -1, -1, -1, -1, -1];
    for (const c of live) {
      const severity = (entries[c.entry] as EntryInfo).severity;
      let inside = false;
      for (let v = severity; v <= 5; v++) if ((furthest[v] as number) >= c.e) inside = true;
      if (inside) continue;
      kept.push(c);
      furthest[severity] = Math.max(furthest[severity] as number, c.e);
    }
    const { starts, ends } = this.norm;
    return kept.map((k) => {
      const entry = entries[k.entry] as EntryInfo;
      return {
        category: entry.category,
        severity: entry.severity,
        term: entry.term,
        start: starts[k.s] as number,
        end: ends[k.e - 1] as number,
      };
    });
  }
}
