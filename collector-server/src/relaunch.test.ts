import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const RELAUNCH = pathToFileURL(join(import.meta.dirname, 'relaunch.ts')).href;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kestrel-relaunch-'));
  // An entry point shaped like main.ts: relaunch if needed, else report and wait for SIGTERM.
  await writeFile(
    join(dir, 'entry.mjs'),
    `import { relaunchWithAllocatorSettings } from ${JSON.stringify(RELAUNCH)};
const relaunched = relaunchWithAllocatorSettings(new URL(import.meta.url).pathname, true);
if (relaunched === false) {
  process.on('SIGTERM', () => process.exit(7));
  process.stdout.write('arenas=' + process.env.MALLOC_ARENA_MAX + ' args=' + process.argv.slice(2).join(',') + '\\n');
  if (process.argv[2] === 'exit') process.exit(3);
  setInterval(() => undefined, 1000);
} else await relaunched;
`,
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function run(env: Record<string, string>, args: string[], signalWhenReady?: NodeJS.Signals) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(dir, 'entry.mjs'), ...args], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (signalWhenReady !== undefined && out.includes('\n')) child.kill(signalWhenReady);
  });
  return new Promise<{ out: string; code: number | null }>((resolve) =>
    child.on('exit', (code) => resolve({ out, code })),
  );
}

describe('relaunchWithAllocatorSettings', () => {
  it('runs the entry again with two malloc arenas, sharing stdout and passing on its arguments and exit status', async () => {
    const r = await run({}, ['exit']);
    expect(r.out).toBe('arenas=2 args=exit\n');
    expect(r.code).toBe(3);
  });

  it('passes SIGTERM on to the relaunched process and ends with its status', async () => {
    const r = await run({}, [], 'SIGTERM');
    expect(r.out).toBe('arenas=2 args=\n');
    expect(r.code).toBe(7);
  });

  it("keeps an operator's own setting and does not relaunch", async () => {
    const r = await run({ MALLOC_ARENA_MAX: '4' }, ['exit']);
    expect(r.out).toBe('arenas=4 args=exit\n');
    expect(r.code).toBe(3);
  });
});
