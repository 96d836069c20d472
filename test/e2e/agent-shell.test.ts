/**
 * The tray app's start-up without Electron (test/e2e/support/shell-host.mjs runs
 * agent/src/main/shell-startup.ts): machine policy from a file, settings layering, and the
 * pipeline built through the same composition root, on a real X server, typed at with xdotool,
 * delivering to the real collector.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnTracked, stopProcess } from './support/child-processes.js';
import { CollectorProcess } from './support/collector-process.js';
import { waitFor } from './support/wait.js';
import { XSession } from './support/x-session.js';

const HOST = fileURLToPath(new URL('./support/shell-host.mjs', import.meta.url));

interface LogLine {
  msg: string;
  [field: string]: unknown;
}

class ShellHost {
  readonly lines: LogLine[] = [];
  stderr = '';
  private partial = '';

  constructor(readonly child: ChildProcess) {
    child.stdout?.on('data', (chunk: Buffer) => {
      const parts = (this.partial + chunk.toString()).split('\n');
      this.partial = parts.pop() ?? '';
      for (const line of parts) if (line.trim()) this.lines.push(JSON.parse(line) as LogLine);
    });
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
  }

  static start(policy: Record<string, unknown>, dir: string, display: string): ShellHost {
    const policyFile = join(dir, 'agent.json');
    writeFileSync(policyFile, JSON.stringify(policy));
    return new ShellHost(
      spawnTracked(process.execPath, [HOST, policyFile, join(dir, 'data')], {
        env: { ...process.env, DISPLAY: display },
      }),
    );
  }

  trays(): Record<string, unknown>[] {
    return this.lines
      .filter((l) => l.msg === 'tray')
      .map((l) => JSON.parse(String(l.tray)) as Record<string, unknown>);
  }

  async waitForLog(msg: string, match: (line: LogLine) => boolean = () => true): Promise<LogLine> {
    return waitFor(`"${msg}" in the shell's log`, () => this.lines.find((l) => l.msg === msg && match(l)), {
      timeoutMs: 30_000,
    }).catch((error: Error) => {
      throw new Error(`${error.message}\nstderr: ${this.stderr.slice(-2000)}`);
    });
  }

  stop(): Promise<void> {
    return stopProcess(this.child);
  }
}

let x: XSession | undefined;
let collector: CollectorProcess | undefined;
const dirs: string[] = [];
const hosts: ShellHost[] = [];

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} did not start`);
  return value;
}

function startHost(policy: Record<string, unknown>): ShellHost {
  const dir = mkdtempSync(join(os.tmpdir(), 'kestrel-e2e-shell-'));
  dirs.push(dir);
  const host = ShellHost.start(policy, dir, need(x, 'the X session').display);
  hosts.push(host);
  return host;
}

beforeAll(async () => {
  x = await XSession.start();
  collector = await CollectorProcess.start();
  await x.openTerminal('Shell notes');
});

afterAll(async () => {
  for (const host of hosts) await host.stop();
  await collector?.stop();
  await x?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the tray shell’s pipeline on a real X server', () => {
  it('runs with machine policy, ignores a bad value, and delivers a typed phrase', async () => {
    const c = need(collector, 'the collector');
    const host = startHost({
      ServerUrl: c.url,
      EnrolmentToken: c.enrolmentToken,
      // Xvfb's keymap is US.
      KeyboardLayout: 'en-US',
      Paused: 'sometimes',
      ExcludedUsers: ['SCHOOL\\someone-else'],
    });
    await host.waitForLog('keyboard source', (l) => l.state === 'ok');
    const problem = await host.waitForLog('policy problem');
    expect(problem).toMatchObject({
      key: 'Paused',
      message: 'Paused: must be 0 or 1 (true or false) (ignored)',
    });

    // Keys typed in the first instant after the hook reports ready can be lost while its X record
    // thread starts, so the pupil types the phrase again every few seconds until it arrives; the
    // agent's de-duplication makes repeats in one window one capture, which the test also checks.
    const session = need(x, 'the X session');
    let typedAt = 0;
    const [capture, ...more] = await waitFor('the typed capture at the collector', async () => {
      if (Date.now() - typedAt > 5_000) {
        typedAt = Date.now();
        await session.type('i want to kill myself tonight\n');
      }
      const found = (await c.captures()).filter((cap) => cap.term === 'kill myself');
      return found.length > 0 && found;
    });
    expect(more).toEqual([]);
    expect(capture).toMatchObject({
      machine: os.hostname(),
      user: os.userInfo().username,
      windowTitle: 'Shell notes',
    });

    const tray = await waitFor('a connected tray', () =>
      host.trays().find((t) => t.connection === 'connected'),
    );
    expect(tray).toMatchObject({ excludedUser: false, about: { serverUrl: c.url } });
    expect((tray.policyProblems as { key: string }[]).map((p) => p.key)).toEqual(['Paused']);
  });

  it('does not monitor an account the policy excludes', async () => {
    const c = need(collector, 'the collector');
    const host = startHost({
      ServerUrl: c.url,
      EnrolmentToken: c.enrolmentToken,
      ExcludedUsers: [os.userInfo().username.toUpperCase()],
    });
    const started = await host.waitForLog('shell started');
    expect(started.mode).toBe('excluded');
    expect(host.trays()[0]).toMatchObject({ excludedUser: true });
    expect(host.lines.some((l) => l.msg === 'agent started')).toBe(false);
  });
});
