import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../protocol/categories.js';
import { KestrelError } from '../errors/kestrel-error.js';
import { loadDefaultLexicon } from './default-lexicon.js';
import { LexiconError } from './lexicon-error.js';
import { parseLexicon } from './parse-lexicon.js';

const base = {
  format: 'kestrel-lexicon',
  formatVersion: 1,
  name: 'test',
  version: '1',
  entries: [
    { term: 'kill myself', category: 'suicide', severity: 5 },
    { term: 'kys', category: 'bullying', severity: 4 },
  ],
};

function problem(file: unknown): string {
  try {
    parseLexicon(file);
  } catch (error) {
    expect(error).toBeInstanceOf(LexiconError);
    return (error as Error).message;
  }
  throw new Error('expected the lexicon to be rejected');
}

function withEntry(entry: Record<string, unknown>) {
  return { ...base, entries: [...base.entries, entry] };
}

describe('parseLexicon', () => {
  it('accepts a valid file and fills defaults', () => {
    const file = parseLexicon(base);
    expect(file.language).toBe('en-GB');
    expect(file.exceptions).toEqual([]);
    expect(file.entries).toHaveLength(2);
  });

  it.each([
    [
      { term: 'kil myself', category: 'suicide', severity: 7 },
      'entries[2] "kil myself": severity: must be between 1 and 5',
    ],
    [
      { term: 'kil myself', category: 'suicide', severity: 0 },
      'entries[2] "kil myself": severity: must be between 1 and 5',
    ],
    [{ term: 'kil myself', category: 'suicide' }, 'entries[2] "kil myself": severity: is required'],
    [
      { term: 'kil myself', category: 'suicide', severity: '5' },
      'entries[2] "kil myself": severity: must be a number (got string)',
    ],
    [
      { term: 'vape', category: 'smoking', severity: 2 },
      'entries[2] "vape": category: must be one of "illegal"',
    ],
    [
      { term: 'Kill  Myself', category: 'suicide', severity: 5 },
      'entries[2] "Kill  Myself": term: must be lower-case words',
    ],
    [
      { term: 'kys', category: 'suicide', severity: 5, weight: 1 },
      'entries[2] "kys": unknown field "weight"',
    ],
    [
      { term: 'kys', category: 'suicide', severity: 5, ageBands: ['infant'] },
      'entries[2] "kys": ageBands.[0]: must be one of',
    ],
    [{ category: 'suicide', severity: 5 }, 'entries[2]: term: is required'],
  ])('names the entry and the problem: %j', (entry, message) => {
    expect(problem(withEntry(entry))).toContain(message);
  });

  it('rejects a term listed twice in one category', () => {
    expect(problem(withEntry({ term: 'kill myself', category: 'suicide', severity: 4 }))).toBe(
      'entries[2] "kill myself": duplicate of entries[0] (same term and category)',
    );
    expect(() => parseLexicon(withEntry({ term: 'kys', category: 'suicide', severity: 5 }))).not.toThrow();
  });

  it('rejects an exception that is also a term', () => {
    expect(problem({ ...base, exceptions: [{ phrase: 'breast cancer' }, { phrase: 'kys' }] })).toBe(
      'exceptions[1] "kys": equals the term of entries[1]; a phrase cannot be both',
    );
  });

  it('rejects a stem as an exception', () => {
    expect(problem({ ...base, exceptions: [{ phrase: 'grape*' }] })).toContain(
      'exceptions[0] "grape*": phrase: an exception cannot be a stem',
    );
  });

  it('rejects files that are not lexicons', () => {
    expect(problem(null)).toContain('must be an object');
    expect(problem({ ...base, format: 'other' })).toContain('format: must be one of "kestrel-lexicon"');
    expect(problem({ ...base, formatVersion: 2 })).toContain('formatVersion');
  });

  it('lists every problem, one per line', () => {
    try {
      parseLexicon({ ...base, entries: [{ term: 'a', category: 'x', severity: 9 }] });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(KestrelError);
      const e = error as LexiconError;
      expect(e.code).toBe('VALIDATION_FAILED');
      expect(e.problems).toHaveLength(2);
      expect(e.message.split('\n')).toEqual(e.problems);
      expect(e.problems[0]).toMatch(/^entries\[0\] "a": /);
    }
  });
});

describe('loadDefaultLexicon', () => {
  it('is a valid lexicon covering every category', () => {
    const file = loadDefaultLexicon();
    expect(file.format).toBe('kestrel-lexicon');
    const covered = new Set(file.entries.map((e) => e.category));
    expect([...covered].sort()).toEqual([...CATEGORIES].sort());
  });

  it('returns a copy that callers may change', () => {
    const a = loadDefaultLexicon();
    a.entries.length = 0;
    expect(loadDefaultLexicon().entries.length).toBeGreaterThan(0);
  });
});
