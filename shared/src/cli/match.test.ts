import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('./match.ts', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI from its source (tsx), feeding stdin in chunks. */
function run(args: string[], input: string | string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.on('error', () => undefined); // the CLI may exit before reading (bad flag)
    const chunks = typeof input === 'string' ? [input] : input;
    const write = (i: number): void => {
      if (i === chunks.length) {
        child.stdin.end();
        return;
      }
      if (child.stdin.write(chunks[i])) write(i + 1);
      else child.stdin.once('drain', () => write(i + 1));
    };
    write(0);
  });
}

function lines(
  stdout: string,
): { matches: { term: string; category: string; start: number; end: number }[] }[] {
  expect(stdout.endsWith('\n') || stdout === '').toBe(true);
  return stdout
    .split('\n')
    .slice(0, -1)
    .map(
      (l) => JSON.parse(l) as { matches: { term: string; category: string; start: number; end: number }[] },
    );
}

describe('npm run match', () => {
  it('writes one JSON object per input line, in order, with offsets into the line', async () => {
    const input = [
      'i want to k.i.l.l  m y s e l f',
      '',
      'hello Scunthorpe',
      '😀 kys',
      'last line no newline',
    ];
    const { code, stdout, stderr } = await run([], input.join('\r\n'));
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const out = lines(stdout);
    expect(out).toHaveLength(5);
    expect(out[0]?.matches).toEqual([
      { category: 'suicide', severity: 5, term: 'kill myself', start: 10, end: 30 },
    ]);
    expect(out[1]).toEqual({ matches: [] });
    expect(out[2]).toEqual({ matches: [] });
    expect(out[3]?.matches[0]).toMatchObject({ term: 'kys', start: 3, end: 6 });
    expect(out[4]).toEqual({ matches: [] });
  });

  it('uses the lexicon given with --lexicon', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kestrel-match-'));
    const file = join(dir, 'lexicon.json');
    writeFileSync(
      file,
      JSON.stringify({
        format: 'kestrel-lexicon',
        formatVersion: 1,
        name: 'mine',
        version: '1',
        entries: [{ term: 'homework', category: 'bullying', severity: 1 }],
      }),
    );
    const { code, stdout } = await run(['--lexicon', file], 'no homework tonight\nkys\n');
    expect(code).toBe(0);
    expect(lines(stdout)).toEqual([
      { matches: [{ category: 'bullying', severity: 1, term: 'homework', start: 3, end: 11 }] },
      { matches: [] },
    ]);
  });

  it('accepts a lexicon file and an input that open with a UTF-8 byte-order mark', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kestrel-match-'));
    const file = join(dir, 'lexicon-bom.json');
    const lexicon = {
      format: 'kestrel-lexicon',
      formatVersion: 1,
      name: 'saved by Notepad',
      version: '1',
      entries: [{ term: 'homework', category: 'bullying', severity: 1 }],
    };
    writeFileSync(file, `\uFEFF${JSON.stringify(lexicon)}`);
    const { code, stdout, stderr } = await run(['--lexicon', file], '\uFEFFhomework\nhomework\n');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const spans = lines(stdout).map((o) => o.matches.map((m) => [m.start, m.end]));
    expect(spans).toEqual([[[0, 8]], [[0, 8]]]);
  });

  it('stops quietly when the reader closes the pipe early', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdin.on('error', () => undefined);
    // Like `| head -1`: read the first line, then close our end while the CLI is still writing.
    child.stdout.once('data', () => child.stdout.destroy());
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    const line = 'the quick brown fox jumps over the lazy dog\n'.repeat(2_000);
    for (let i = 0; i < 50 && child.stdin.writable; i++) child.stdin.write(line);
    child.stdin.end();
    expect(await closed).toBe(0);
    expect(stderr).not.toMatch(/EPIPE|Error/);
  });

  it('rejects an invalid lexicon with exit code 2, naming the entry, and nothing on stdout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kestrel-match-'));
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        format: 'kestrel-lexicon',
        formatVersion: 1,
        name: 'bad',
        version: '1',
        entries: [{ term: 'kil myself', category: 'suicide', severity: 9 }],
      }),
    );
    const bad = await run(['--lexicon', file], 'x\n');
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('entries[0] "kil myself": severity: must be between 1 and 5');
    const missing = await run(['--lexicon', join(dir, 'absent.json')], '');
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
  });

  it('rejects unknown flags with exit code 2', async () => {
    const { code, stdout, stderr } = await run(['--verbose'], 'x\n');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('unknown argument "--verbose"');
  });

  it('streams a large input', async () => {
    const count = 40_000;
    const chunks: string[] = [];
    let chunk = '';
    for (let i = 0; i < count; i++) {
      chunk +=
        i % 1000 === 7 ? 'then i want to kill myself\n' : 'the quick brown fox jumps over the lazy dog\n';
      if (chunk.length > 16_384) {
        chunks.push(chunk);
        chunk = '';
      }
    }
    chunks.push(chunk);
    const { code, stdout } = await run([], chunks);
    expect(code).toBe(0);
    const out = lines(stdout);
    expect(out).toHaveLength(count);
    const hits = out.flatMap((o, i) => (o.matches.length > 0 ? [i] : []));
    expect(hits).toEqual(Array.from({ length: count / 1000 }, (_, k) => k * 1000 + 7));
  });
});
