/**
 * Matching benchmark (docs/benchmarks.md, "Matching"): the same lexicon and the same text through
 * Kestrel's engine and through `obscenity` (RegExpMatcher with its recommended English
 * transformers, built from the same terms), at 1k, 10k and 50k entries.
 *
 * Lexicons: the default lexicon, cut to 1k or padded with pseudo-word entries from a seeded PRNG.
 * Text: school-like sentences with lexicon terms (some evaded) mixed in, matched a line at a time.
 * obscenity runs every term's regular expression over every line, so it gets less text at larger
 * sizes; rates are per MB either way. Rates and compile times are per CPU second of this process
 * (process.cpuUsage), which a busy shared machine disturbs less than wall time; keystrokes are
 * timed one by one with the monotonic clock.
 */
import { availableParallelism, loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DataSet, RegExpMatcher, englishRecommendedTransformers, parseRawPattern } from 'obscenity';
import { CATEGORIES } from '../shared/src/protocol/categories.js';
import { compileLexicon, loadDefaultLexicon, type LexiconFile } from '../shared/src/lexicon/index.js';

const SIZES = [1_000, 10_000, 50_000];
const TEXT_BYTES = 2_000_000;
const OBSCENITY_BYTES: Record<number, number> = { 1_000: 200_000, 10_000: 20_000, 50_000: 4_000 };
const KEYSTROKES = 200_000;

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const ONSETS = [
  'b',
  'br',
  'd',
  'dr',
  'f',
  'g',
  'gl',
  'k',
  'kr',
  'm',
  'n',
  'p',
  'pl',
  'r',
  's',
  'st',
  't',
  'tr',
  'v',
  'z',
];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'ai', 'ou', 'ee'];
const CODAS = ['', '', 'n', 'x', 'rk', 'sh', 'lt', 'mp'];

function pseudoWord(rand: () => number): string {
  const pick = (xs: readonly string[]): string => xs[Math.floor(rand() * xs.length)] as string;
  let w = '';
  const syllables = 2 + Math.floor(rand() * 3);
  for (let i = 0; i < syllables; i++) w += pick(ONSETS) + pick(VOWELS) + pick(CODAS);
  return w;
}

/** The default lexicon, cut or padded to `size` entries, deterministically. */
function lexiconOf(size: number): LexiconFile {
  const base = loadDefaultLexicon();
  const entries = base.entries.slice(0, size);
  const rand = prng(size);
  const seen = new Set(entries.map((e) => `${e.category} ${e.term}`));
  while (entries.length < size) {
    const words = 1 + Math.floor(rand() * 3);
    let term = Array.from({ length: words }, () => pseudoWord(rand)).join(' ');
    if (words === 1 && rand() < 0.1) term += '*';
    const category = CATEGORIES[Math.floor(rand() * CATEGORIES.length)] as (typeof CATEGORIES)[number];
    const key = `${category} ${term}`;
    if (seen.has(key)) continue;
    seen.add(key);
    entries.push({ term, category, severity: 1 + Math.floor(rand() * 5) });
  }
  return { ...base, entries };
}

const SENTENCES = [
  'Please hand in your analysis of the poem by Friday morning.',
  'We are going to Scunthorpe and Penistone on the geography trip.',
  'Can you send me the homework sheet for chapter seven?',
  'The therapist in the novel helps the main character recover.',
  'Year 7 scored 3 goals in the match against Cockermouth.',
  'my mum said I can come to yours after school if thats ok',
  'What is the difference between mitosis and meiosis in cells?',
  'The assassin in Macbeth is sent to kill Banquo and Fleance.',
  'lol that video was so funny i cant stop laughing',
  'Who is bringing the grapes and the cocktail sausages to the party?',
  'Breast cancer awareness week raises money for research.',
  'I need to revise for my maths test on Tuesday.',
  'The class discussed the causes of the First World War.',
  'how do i make a bar chart in the spreadsheet',
];

const EVASIONS: ((t: string) => string)[] = [
  (t) => t,
  (t) => t.toUpperCase(),
  (t) => t.replace(/i/g, '1').replace(/e/g, '3'),
  (t) => t.split('').join(' '),
  (t) => t.replace(/([aeiou])/, '$1$1$1$1'),
];

/** School-like lines; one in ten carries a lexicon term, sometimes evaded. */
function textOf(file: LexiconFile, bytes: number): string[] {
  const rand = prng(7);
  const lines: string[] = [];
  let total = 0;
  while (total < bytes) {
    let line = SENTENCES[Math.floor(rand() * SENTENCES.length)] as string;
    if (rand() < 0.1) {
      const entry = file.entries[Math.floor(rand() * file.entries.length)];
      const term = (entry?.term ?? 'kys').replace('*', 'al');
      const evade = EVASIONS[Math.floor(rand() * EVASIONS.length)] as (t: string) => string;
      line = `${line.slice(0, -1)} and ${evade(term)}.`;
    }
    lines.push(line);
    total += line.length + 1;
  }
  return lines;
}

function obscenityMatcher(file: LexiconFile): RegExpMatcher {
  const data = new DataSet<{ term: string }>();
  for (const entry of file.entries) {
    const stem = entry.term.endsWith('*');
    const source = `|${stem ? entry.term.slice(0, -1) : entry.term}${stem ? '' : '|'}`;
    data.addPhrase((p) => p.addPattern(parseRawPattern(source)).setMetadata({ term: entry.term }));
  }
  return new RegExpMatcher({
    ...data.build(),
    whitelistedTerms: file.exceptions.map((e) => e.phrase),
    ...englishRecommendedTransformers,
  });
}

const gc: () => void = (() => {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

function heapOf<T>(build: () => T): { value: T; bytes: number } {
  gc();
  gc();
  // Typed arrays live outside the JS heap: count their backing stores too.
  const used = (): number => {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const before = used();
  const value = build();
  gc();
  gc();
  return { value, bytes: used() - before };
}

function timeMs(fn: () => void): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

/** CPU time of this process (ms): steadier than wall time on a shared, loaded machine. */
function cpuMs(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

const mb = (lines: readonly string[]): number => lines.reduce((n, l) => n + l.length + 1, 0) / 1e6;
const fmt = (n: number, digits = 1): string => n.toFixed(digits);

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
}

export async function run(): Promise<void> {
  const rows: string[] = [];
  for (const size of SIZES) {
    const file = lexiconOf(size);
    const lines = textOf(file, TEXT_BYTES);

    // Compile: best of three (the first warms the JIT), heap measured on a separate build.
    let compileMs = Infinity;
    let compileCpuMs = Infinity;
    for (let i = 0; i < 3; i++) {
      let cpu = 0;
      compileMs = Math.min(
        compileMs,
        timeMs(() => (cpu = cpuMs(() => compileLexicon(file)))),
      );
      compileCpuMs = Math.min(compileCpuMs, cpu);
    }
    const { value: lexicon, bytes: heap } = heapOf(() => compileLexicon(file));

    // Throughput, a line at a time (warm-up pass first), per CPU second of this process.
    let hits = 0;
    for (const line of lines.slice(0, 2000)) lexicon.match(line);
    const ours = cpuMs(() => {
      for (const line of lines) hits += lexicon.match(line).length;
    });
    const oursRate = mb(lines) / (ours / 1000);

    // Keystrokes: the same text typed one character at a time; Enter flushes.
    const stream = lexicon.createStream();
    const samples = new Float64Array(KEYSTROKES);
    let k = 0;
    outer: for (const line of lines) {
      for (const ch of line) {
        const t = process.hrtime.bigint();
        stream.push(ch);
        samples[k++] = Number(process.hrtime.bigint() - t) / 1000;
        if (k === KEYSTROKES) break outer;
      }
      stream.flush();
      stream.reset();
    }
    const keys = samples.subarray(0, k).sort();
    const timer = timerOverheadUs();

    // obscenity on fewer lines (it runs every term's expression over the whole line).
    const theirLines = lines.slice(
      0,
      Math.max(50, Math.round((lines.length * (OBSCENITY_BYTES[size] ?? 10_000)) / TEXT_BYTES)),
    );
    const obscenityCompile = cpuMs(() => obscenityMatcher(file));
    const { value: matcher, bytes: theirHeap } = heapOf(() => obscenityMatcher(file));
    let theirHits = 0;
    for (const line of theirLines.slice(0, 20)) matcher.getAllMatches(line);
    const theirs = cpuMs(() => {
      for (const line of theirLines) theirHits += matcher.getAllMatches(line).length;
    });
    const theirRate = mb(theirLines) / (theirs / 1000);
    // The same lines through ours, to compare hit counts on identical input.
    const oursOnTheirs = theirLines.reduce((n, l) => n + lexicon.match(l).length, 0);

    rows.push(
      [
        size.toLocaleString('en-GB'),
        `${lexicon.patternCount.toLocaleString('en-GB')} / ${lexicon.matcher.automaton.states.toLocaleString('en-GB')}`,
        fmt(oursRate),
        fmt(theirRate, 4),
        `${fmt(oursRate / theirRate, 0)}×`,
        `${fmt(percentile(keys, 0.5), 2)} / ${fmt(percentile(keys, 0.99), 2)}`,
        `${fmt(compileCpuMs)} (${fmt(compileMs)})`,
        fmt(obscenityCompile),
        `${fmt(heap / 1e6)} (${fmt(lexicon.byteSize / 1e6)})`,
        fmt(theirHeap / 1e6),
      ].join(' | '),
    );
    console.log(
      `${size} entries: ${hits} matches in ${fmt(mb(lines))} MB; on obscenity's ${theirLines.length} lines ` +
        `ours ${oursOnTheirs}, obscenity ${theirHits}; timer overhead ~${fmt(timer, 2)} µs per keystroke sample`,
    );
  }
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  console.log(
    `\nload average ${load} on ${availableParallelism()} cores; rates and compile times per CPU second\n`,
  );
  console.log(
    '| entries | patterns / states | ours MB/s | obscenity MB/s | ratio | keystroke µs median / p99 | ' +
      'compile ms CPU (wall) | obscenity compile ms CPU | compiled MB (typed arrays) | obscenity MB |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const row of rows) console.log(`| ${row} |`);
  await Promise.resolve();
}

/** What one pair of hrtime calls costs, included in every keystroke sample. */
function timerOverheadUs(): number {
  const samples = new Float64Array(10_000);
  for (let i = 0; i < samples.length; i++) {
    const t = process.hrtime.bigint();
    samples[i] = Number(process.hrtime.bigint() - t) / 1000;
  }
  return percentile(samples.sort(), 0.5);
}
