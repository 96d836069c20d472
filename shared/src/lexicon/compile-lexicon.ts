import { CATEGORIES } from '../protocol/categories.js';
import type { CompiledLexicon, LexiconMatch, PhraseStream, PhraseStreamOptions } from './engine-types.js';
import { Matcher, type EntryInfo } from './matcher.js';
import { NormalisedText, SEP, normalise } from './normalise.js';
import { PatternSet } from './pattern-set.js';
import { PhraseStreamImpl } from './phrase-stream.js';
import type { AgeBand, LexiconFile } from './schema.js';

export interface CompileOptions {
  /** Only entries for this age band (entries without `ageBands` apply to all). Default: all entries. */
  ageBand?: AgeBand;
}

const ALL_CATEGORIES = (1 << CATEGORIES.length) - 1;

/** A compiled lexicon, with a few figures for diagnostics and benchmarks. */
export class Lexicon implements CompiledLexicon {
  readonly version: string;
  readonly size: number;
  /** Patterns in the automaton (spelling variants of terms and exceptions). */
  readonly patternCount: number;
  /** @internal */
  readonly matcher: Matcher;

  constructor(version: string, size: number, patternCount: number, matcher: Matcher) {
    this.version = version;
    this.size = size;
    this.patternCount = patternCount;
    this.matcher = matcher;
  }

  /** Bytes held by the automaton's typed arrays (entries' strings not counted). */
  get byteSize(): number {
    return this.matcher.byteSize;
  }

  match(text: string): LexiconMatch[] {
    return this.matcher.run(text).matches;
  }

  createStream(options?: PhraseStreamOptions): PhraseStream {
    return new PhraseStreamImpl(this.matcher, options);
  }
}

/**
 * Compiles a validated lexicon (see parseLexicon) into a matcher. Each term and exception is
 * normalised exactly as text is, in several spellings: as written (apostrophes and hyphens read
 * as separators: `don t tell`), with them removed (`dont tell`), with the words run together
 * (`donttell`, which is also what spaced-out letters `d o n t t e l l` become), and each of those
 * with a word's leading a or i split off (`a nal`) as spaced-out text reads it.
 */
export function compileLexicon(file: LexiconFile, options: CompileOptions = {}): Lexicon {
  const norm = new NormalisedText();
  const patterns = new PatternSet();
  const entries: EntryInfo[] = [];
  for (const entry of file.entries) {
    if (
      options.ageBand !== undefined &&
      entry.ageBands !== undefined &&
      !entry.ageBands.includes(options.ageBand)
    ) {
      continue;
    }
    const stem = entry.term.endsWith('*');
    const owner = entries.length;
    entries.push({
      category: entry.category,
      severity: entry.severity,
      term: entry.term,
      categoryBit: 1 << CATEGORIES.indexOf(entry.category),
    });
    addVariants(patterns, norm, stem ? entry.term.slice(0, -1) : entry.term, stem, owner);
  }
  const masks: number[] = [];
  file.exceptions.forEach((exception, index) => {
    masks.push(
      exception.categories === undefined
        ? ALL_CATEGORIES
        : exception.categories.reduce((m, c) => m | (1 << CATEGORIES.indexOf(c)), 0),
    );
    addVariants(patterns, norm, exception.phrase, false, -(index + 1));
  });
  patterns.seal();
  return new Lexicon(file.version, entries.length, patterns.count, new Matcher(patterns, entries, masks));
}

function addVariants(
  patterns: PatternSet,
  norm: NormalisedText,
  term: string,
  stem: boolean,
  owner: number,
): void {
  const joined = term.replace(/['’-]/g, '');
  const spellings = [term];
  if (joined !== term) spellings.push(joined);
  if (joined.includes(' ')) spellings.push(joined.replaceAll(' ', ''));
  const first = patterns.count;
  for (const spelling of spellings) {
    normalise(spelling, norm);
    const n = norm.length;
    if (n === 0) continue;
    const { codes, runs } = norm;
    patterns.add(codes, runs, n, stem, owner, first);
    // Spelt out with spaces, a word's leading a or i stands apart (`a n a l` reads `a nal`, see
    // normalise): a spelling with every such word split matches that.
    let splits = 0;
    for (let i = 0; i < n; i++) if (splitsAfter(codes, runs, n, i)) splits++;
    if (splits === 0) continue;
    const split = new Uint16Array(n + splits);
    const splitRuns = new Uint8Array(n + splits);
    let at = 0;
    for (let i = 0; i < n; i++) {
      split[at] = codes[i] as number;
      splitRuns[at++] = runs[i] as number;
      if (splitsAfter(codes, runs, n, i)) {
        split[at] = SEP;
        splitRuns[at++] = 1;
      }
    }
    patterns.add(split, splitRuns, at, stem, owner, first);
  }
}

/** Whether position i is the leading a or i of a word of four or more letters. */
function splitsAfter(codes: Uint16Array, runs: Uint8Array, n: number, i: number): boolean {
  const c = codes[i] as number;
  if ((c !== 97 && c !== 105) || runs[i] !== 1 || (i > 0 && codes[i - 1] !== SEP)) return false;
  let end = i;
  while (end < n && codes[end] !== SEP) end++;
  return end - i >= 4;
}
