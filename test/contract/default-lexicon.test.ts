import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CATEGORIES, compileLexicon, loadDefaultLexicon, parseLexicon } from '@kestrel/shared';

// The shipped default lexicon (shared/src/lexicon/data/default-lexicon.json, docs/lexicon.md).
const FILE = fileURLToPath(new URL('../../shared/src/lexicon/data/default-lexicon.json', import.meta.url));
const DICTIONARY = '/usr/share/dict/british-english';
/** A stem may open at most this many dictionary words (possessives aside), all of its own family. */
const MAX_STEM_WORDS = 12;

const text = readFileSync(FILE, 'utf8');
const file = parseLexicon(JSON.parse(text));

function dictionary(): string[] {
  if (!existsSync(DICTIONARY)) expect.fail(`${DICTIONARY} is missing: apt-get install wbritish`);
  return readFileSync(DICTIONARY, 'utf8')
    .split('\n')
    .filter((w) => w !== '' && !w.endsWith("'s"))
    .map((w) => w.toLowerCase());
}

describe('default lexicon', () => {
  it('parses, is versioned and has at least 1,000 entries', () => {
    expect(file.format).toBe('kestrel-lexicon');
    expect(file.language).toBe('en-GB');
    expect(file.version).toMatch(/^\d{4}\.\d{1,2}\.\d+$/);
    expect(file.entries.length).toBeGreaterThanOrEqual(1000);
    expect(loadDefaultLexicon().entries.length).toBe(file.entries.length);
  });

  it('covers all twelve categories, each with a real list', () => {
    for (const category of CATEGORIES) {
      expect(file.entries.filter((e) => e.category === category).length, category).toBeGreaterThanOrEqual(50);
    }
  });

  it('is written one entry per line, for reviewable diffs', () => {
    const entryLines = text.split('\n').filter((l) => l.trimStart().startsWith('{"term":'));
    const exceptionLines = text.split('\n').filter((l) => l.trimStart().startsWith('{"phrase":'));
    expect(entryLines.length).toBe(file.entries.length);
    expect(exceptionLines.length).toBe(file.exceptions.length);
  });

  it('rates illegal content critical, everything in it', () => {
    const illegal = file.entries.filter((e) => e.category === 'illegal');
    expect(illegal.length).toBeGreaterThan(0);
    expect(illegal.filter((e) => e.severity !== 5)).toEqual([]);
  });

  it('rates first-person suicidal intent critical, however it is typed', () => {
    const lexicon = compileLexicon(file);
    const intent = [
      'kill myself',
      'i want to die',
      'unalive myself',
      'i want to end it all',
      'nobody would miss me',
      'end my life',
      'take my own life',
      'i wish i was dead',
      "i don't want to live anymore",
      "i'm better off dead",
    ];
    for (const phrase of intent) {
      const entry = file.entries.find((e) => e.term === phrase);
      expect(entry, phrase).toMatchObject({ category: 'suicide', severity: 5 });
      expect(lexicon.match(`honestly ${phrase.toUpperCase()}.`), phrase).toContainEqual(
        expect.objectContaining({ category: 'suicide', severity: 5 }),
      );
    }
    // Nothing in the suicide category is treated as routine.
    expect(file.entries.filter((e) => e.category === 'suicide' && e.severity < 3)).toEqual([]);
  });

  it('has no stem that opens innocent words', () => {
    const words = dictionary();
    const stems = file.entries.filter((e) => e.term.endsWith('*'));
    expect(stems.length).toBeGreaterThan(0);
    for (const e of stems) {
      const last = (e.term.split(' ').pop() as string).slice(0, -1);
      expect(last.length, e.term).toBeGreaterThanOrEqual(4);
      const opened = words.filter((w) => w.startsWith(last));
      expect(opened.length, `${e.term}: ${opened.join(', ')}`).toBeLessThanOrEqual(MAX_STEM_WORDS);
    }
  });

  it('never raises an urgent alert on a single ordinary English word', () => {
    const words = new Set(dictionary());
    const urgent = file.entries.filter((e) => !e.term.includes(' ') && words.has(e.term) && e.severity >= 5);
    expect(urgent).toEqual([]);
  });

  it('lists each spelling once (the engine derives apostrophe-less and run-together forms)', () => {
    // Mirrors compileLexicon: a term is also matched with apostrophes and hyphens removed and with
    // its words run together, so writing those forms again is noise in the file.
    const forms = (term: string) => {
      const bare = term.replace(/\*$/, '');
      const removed = bare.replace(/['’-]/g, '');
      return {
        written: bare.replace(/['’-]/g, ' ').replace(/ +/g, ' '),
        derived: [removed, removed.replaceAll(' ', '')],
      };
    };
    const redundant: string[] = [];
    for (const category of CATEGORIES) {
      const entries = file.entries.filter((e) => e.category === category && !e.term.endsWith('*'));
      const derived = new Map<string, string>();
      for (const e of entries) {
        const f = forms(e.term);
        for (const d of f.derived) if (d !== f.written) derived.set(d, e.term);
      }
      for (const e of entries) {
        const by = derived.get(forms(e.term).written);
        if (by !== undefined && by !== e.term) redundant.push(`${e.term} (already derived from ${by})`);
      }
    }
    expect(redundant).toEqual([]);
  });

  it('exceptions cancel only the benign reading', () => {
    const lexicon = compileLexicon(file);
    const cases: [string, boolean][] = [
      ['I could kill myself laughing at that', false],
      ['I want to kill myself', true],
      ['blue tits at the feeder', false],
      ['Homo sapiens evolved in Africa', false],
      ['faggots and peas for tea', false],
      ['a chink of light under the door', false],
      ['Dias reached the Cape in 1488', false],
      ['do coke and mentos', false],
      ['what are you wearing to the prom', false],
      ['what are you wearing right now', true],
    ];
    for (const [sentence, flagged] of cases) {
      expect(lexicon.match(sentence).length > 0, sentence).toBe(flagged);
    }
  });
});
