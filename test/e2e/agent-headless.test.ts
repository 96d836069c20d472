/** The headless agent's command line: flag validation, no display, clean shutdown. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { AgentProcess } from './support/agent-process.js';
import { freePort } from './support/free-port.js';

const HEADLESS = fileURLToPath(new URL('../../agent/dist/headless.js', import.meta.url));
const dataDir = mkdtempSync(join(os.tmpdir(), 'kestrel-e2e-headless-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function headless(args: string[]) {
  return spawnSync(process.execPath, [HEADLESS, ...args], { encoding: 'utf8', timeout: 30_000 });
}

describe('agent:headless command line', () => {
  it('refuses missing or bad flags with exit code 2 and a clear message', () => {
    const cases: [string[], RegExp][] = [
      [[], /--server is required/],
      [['--server', 'ftp://x', '--enrolment-token', 't', '--data-dir', dataDir], /must be an http/],
      [['--server', 'http://127.0.0.1:1', '--data-dir', dataDir], /--enrolment-token is required/],
      [['--server', 'http://127.0.0.1:1', '--enrolment-token', 't'], /--data-dir is required/],
      [
        [
          '--server',
          'http://127.0.0.1:1',
          '--enrolment-token',
          't',
          '--data-dir',
          dataDir,
          '--keyboard-layout',
          'fr',
        ],
        /en-GB or en-US/,
      ],
      [
        [
          '--server',
          'http://127.0.0.1:1',
          '--enrolment-token',
          't',
          '--data-dir',
          dataDir,
          '--ca-file',
          '/nonexistent',
        ],
        /cannot be read/,
      ],
      [['--server', 'http://127.0.0.1:1', '--bogus'], /Unknown option/],
    ];
    for (const [args, message] of cases) {
      const run = headless(args);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).toContain('Usage: npm run agent:headless');
    }
  });

  it('without an X display reports the keyboard unavailable, keeps running and stops cleanly on SIGTERM', async () => {
    const server = `http://127.0.0.1:${await freePort()}`;
    for (const display of ['', ':4093']) {
      const agent = await AgentProcess.start({ server, enrolmentToken: 'whatever-token', dataDir, display });
      const keyboard = await agent.waitForLog('keyboard source');
      expect(keyboard).toMatchObject({ state: 'unavailable' });
      expect(String(keyboard.detail)).toMatch(display === '' ? /DISPLAY is not set/ : /does not answer/);
      expect(agent.child.exitCode).toBeNull();
      expect(await agent.stop()).toEqual({ code: 0, signal: null });
      expect(agent.logs('agent stopped')).toHaveLength(1);
    }
  });
});
