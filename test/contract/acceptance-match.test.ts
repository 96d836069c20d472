/**
 * Acceptance: the lexicon engine CLI exactly as CONTRACTS.md names it,
 * `npm run --silent match -- [--lexicon FILE]`, run from the repository root.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanUp, run, tempDir } from './support/processes.js';

afterAll(cleanUp);

const CATEGORIES = [
  'illegal',
  'cse',
  'sexual-content',
  'self-harm',
  'suicide',
  'bullying',
  'discrimination',
  'extremism',
  'drugs',
  'violence',
  'gambling',
  'circumvention',
];

interface Match {
  category: string;
  severity: number;
  term: string;
  start: number;
  end: number;
}

/** `npm run --silent match -- ...args` with `lines` on stdin. */
function match(lines: string[], args: string[] = []) {
  const input = lines.length === 0 ? '' : `${lines.join('\n')}\n`;
  return run('npm', ['run', '--silent', 'match', '--', ...args], { input, timeoutMs: 170_000 });
}

/** Parses stdout as exactly one `{"matches": [...]}` per input line, checking each match's shape. */
function parseOutput(stdout: string, inputLines: string[], categories = CATEGORIES): Match[][] {
  expect(stdout.endsWith('\n'), JSON.stringify(stdout.slice(-200))).toBe(true);
  const outLines = stdout.slice(0, -1).split('\n');
  expect(outLines.length, stdout).toBe(inputLines.length);
  return outLines.map((raw, i) => {
    const obj = JSON.parse(raw) as unknown;
    expect(obj, raw).toEqual({ matches: expect.any(Array) });
    expect(Object.keys(obj as object)).toEqual(['matches']);
    const matches = (obj as { matches: Match[] }).matches;
    const line = inputLines[i] ?? '';
    for (const m of matches) {
      expect(Object.keys(m).sort(), raw).toEqual(['category', 'end', 'severity', 'start', 'term']);
      expect(categories, raw).toContain(m.category);
      expect(Number.isInteger(m.severity) && m.severity >= 1 && m.severity <= 5, raw).toBe(true);
      expect(typeof m.term === 'string' && m.term.length > 0, raw).toBe(true);
      expect(Number.isInteger(m.start) && Number.isInteger(m.end), raw).toBe(true);
      expect(
        m.start >= 0 && m.start < m.end && m.end <= line.length,
        `${raw} on ${JSON.stringify(line)}`,
      ).toBe(true);
    }
    return matches;
  });
}

describe('npm run --silent match', () => {
  it('writes one JSON object per input line, in order, nothing else; offsets are UTF-16 into the original line', async () => {
    const lines = [
      'i want to kill myself', // 0: plain
      'what a lovely day for a picnic', // 1: benign
      '', // 2: blank
      'I want to KILL MYSELF', // 3: case
      '😀😀 k1ll mys3lf now', // 4: astral characters before a leet match
      'the quick brown fox', // 5: benign
      '𝒳 i want to k i l l myself', // 6: spaced letters after an astral letter
      'ｋｉｌｌ ｍｙｓｅｌｆ', // 7: full-width compatibility forms
      'kill\u200Bmyself tonight', // 8: invisible character inside
      'i could kill myself laughing', // 9: a shipped exception (British idiom)
    ];
    const r = await match(lines);
    expect(r.code, r.stderr).toBe(0);
    const out = parseOutput(r.stdout, lines);

    const suicide = (i: number) => (out[i] ?? []).find((m) => m.category === 'suicide');
    // The contract's own example line.
    const plain = suicide(0);
    expect(plain).toEqual({ category: 'suicide', severity: 5, term: 'kill myself', start: 10, end: 21 });
    expect(out[1]).toEqual([]);
    expect(out[2]).toEqual([]);
    expect(out[5]).toEqual([]);
    expect(suicide(3)).toMatchObject({ term: 'kill myself', start: 10, end: 21 });
    expect(lines[3]?.slice(10, 21)).toBe('KILL MYSELF');

    // "😀😀 " is five UTF-16 code units: the match starts at 5, not at 3 (code points) or 9 (bytes).
    const leet = suicide(4);
    expect(leet).toMatchObject({ term: 'kill myself', start: 5, end: 16 });
    expect(lines[4]?.slice(leet?.start, leet?.end)).toBe('k1ll mys3lf');

    const spaced = suicide(6);
    expect(spaced).toBeDefined();
    expect(lines[6]?.slice(spaced?.start, spaced?.end)).toBe('k i l l myself');

    const wide = suicide(7);
    expect(wide).toMatchObject({ start: 0, end: lines[7]?.length });

    const invisible = suicide(8);
    expect(invisible).toMatchObject({ start: 0, end: 'kill\u200Bmyself'.length });

    expect(out[9]?.filter((m) => m.category === 'suicide')).toEqual([]);
  }, 180_000);

  it('answers an empty input with no output, and a last line without a line break too', async () => {
    const empty = await run('npm', ['run', '--silent', 'match'], { input: '', timeoutMs: 170_000 });
    expect(empty.code, empty.stderr).toBe(0);
    expect(empty.stdout).toBe('');
    const noEol = await run('npm', ['run', '--silent', 'match'], {
      input: 'kill myself\n\nkill myself',
      timeoutMs: 170_000,
    });
    expect(noEol.code, noEol.stderr).toBe(0);
    const out = parseOutput(noEol.stdout, ['kill myself', '', 'kill myself']);
    expect(out.map((m) => m.length)).toEqual([1, 0, 1]);
    // Windows line breaks are line breaks, not part of the line.
    const crlf = await run('npm', ['run', '--silent', 'match'], {
      input: 'a kill myself\r\nb\r\n',
      timeoutMs: 170_000,
    });
    expect(crlf.code, crlf.stderr).toBe(0);
    const crlfOut = parseOutput(crlf.stdout, ['a kill myself', 'b']);
    expect(crlfOut[0]).toMatchObject([{ term: 'kill myself', start: 2, end: 13 }]);
  }, 180_000);

  it('--lexicon FILE: matches only that lexicon', async () => {
    const dir = await tempDir('lexicon');
    const file = join(dir, 'custom.json');
    await writeFile(
      file,
      JSON.stringify({
        format: 'kestrel-lexicon',
        formatVersion: 1,
        name: 'Acceptance lexicon',
        version: '2026.11.1',
        entries: [
          { term: 'purple giraffe', category: 'bullying', severity: 2 },
          { term: 'zorblax*', category: 'circumvention', severity: 3 },
        ],
      }),
    );
    const lines = ['a PURPLE giraffe appeared', 'i want to kill myself', '🦒 zorblaxing the filter'];
    const r = await match(lines, ['--lexicon', file]);
    expect(r.code, r.stderr).toBe(0);
    const out = parseOutput(r.stdout, lines);
    expect(out[0]).toEqual([
      { category: 'bullying', severity: 2, term: 'purple giraffe', start: 2, end: 16 },
    ]);
    expect(out[1]).toEqual([]);
    expect(out[2]).toEqual([{ category: 'circumvention', severity: 3, term: 'zorblax*', start: 3, end: 13 }]);
  }, 180_000);

  it('a bad lexicon file: non-zero exit, a message on stderr, nothing on stdout', async () => {
    const dir = await tempDir('bad-lexicon');
    const notJson = join(dir, 'not-json.json');
    await writeFile(notJson, '{ this is not json');
    const badCategory = join(dir, 'bad-category.json');
    await writeFile(
      badCategory,
      JSON.stringify({
        format: 'kestrel-lexicon',
        formatVersion: 1,
        name: 'Bad',
        version: '1',
        entries: [{ term: 'hello', category: 'not-a-category', severity: 9 }],
      }),
    );
    for (const file of [notJson, badCategory, join(dir, 'missing.json')]) {
      const r = await match(['kill myself', 'hello'], ['--lexicon', file]);
      expect(r.code, file).not.toBe(0);
      expect(r.code, file).not.toBeNull();
      expect(r.stdout, file).toBe('');
      expect(r.stderr.trim().length, file).toBeGreaterThan(0);
      expect(r.stderr, file).toContain(file);
    }
  }, 180_000);
});
