/**
 * Acceptance: `npm run agent:headless -- --server URL --enrolment-token TOKEN --data-dir DIR`
 * exactly as CONTRACTS.md names it, here without any X display (a server, a CI shell): it must
 * enrol, keep running and heartbeat, reporting what it cannot capture, and stop cleanly; bad flags
 * are refused with a clear message. The capture pipeline under a real X server is
 * test/e2e/agent-capture.test.ts.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Client, startCollector } from './support/collector.js';
import { cleanUp, eventually, Proc, run, tempDir } from './support/processes.js';
import { signInWithTwoFactor } from './support/totp.js';

afterAll(cleanUp);

const ADMIN = { email: 'tech@school.example', password: 'acceptance technician password' };
const ENROLMENT_TOKEN = 'acceptance-headless-token-0001';

function headlessEnv(): Record<string, string | undefined> {
  return { DISPLAY: undefined, WAYLAND_DISPLAY: undefined };
}

describe('npm run agent:headless', () => {
  it('without a display: enrols as the OS hostname, heartbeats, keeps running, stops cleanly on SIGTERM', async () => {
    const collector = await startCollector({
      LOG_LEVEL: 'warn',
      BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
      BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
      ENROLMENT_TOKEN,
    });
    const dataDir = join(await tempDir('agent'), 'state');
    const agent = new Proc(
      'npm',
      [
        'run',
        'agent:headless',
        '--',
        '--server',
        collector.url,
        '--enrolment-token',
        ENROLMENT_TOKEN,
        '--data-dir',
        dataDir,
      ],
      { env: headlessEnv() },
    );

    // The devices view wants two-factor on for this account (it also holds the DSL role).
    const staff = new Client(collector.url);
    await signInWithTwoFactor(staff, ADMIN.email, ADMIN.password);
    const me = await staff.request('GET', '/api/v1/me');
    const schoolId = (me.body as { schools: { id: string }[] }).schools[0]?.id ?? '';

    // Enrolled, under the machine's own name.
    const devices = await eventually(
      'the agent enrols',
      150_000,
      async () => {
        const a = await staff.request('GET', `/api/v1/schools/${schoolId}/devices`);
        if (a.status !== 200) throw new Error(`devices: ${a.status} ${a.text}`);
        const items = (a.body as { items: { hostname: string }[] }).items;
        return items.length > 0 ? items : undefined;
      },
      agent,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${agent.describe()}`);
    });
    expect(devices.map((d) => d.hostname)).toEqual([hostname()]);

    // Heartbeating: the collector counts it.
    await eventually(
      'a heartbeat arrives',
      60_000,
      async () => {
        const metrics = await staff.request('GET', '/metrics');
        const m = /^kestrel_heartbeats_total(?:\{[^}]*\})? (\d+)/m.exec(metrics.text);
        return m !== null && Number(m[1]) > 0 ? true : undefined;
      },
      agent,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${agent.describe()}`);
    });
    expect(agent.running, agent.describe()).toBe(true);
    // The technician's devices view shows why this one captures nothing typed.
    const row = await eventually('the devices view shows the keyboard unavailable', 60_000, async () => {
      const a = await staff.request('GET', `/api/v1/schools/${schoolId}/devices`);
      const text = JSON.stringify((a.body as { items: unknown[] }).items[0] ?? {});
      return /keyboard/.test(text) && /unavailable/.test(text) ? text : undefined;
    });
    expect(row).toContain(hostname());
    // It says, in its log, that the keyboard cannot be captured here.
    expect(agent.stdout + agent.stderr).toMatch(/keyboard/i);

    // The whole process group gets SIGTERM, as from a service manager. npm itself dies of the signal
    // (its own behaviour); the agent must log a clean stop rather than crash.
    const exit = await agent.stop('SIGTERM');
    expect(exit.code === 0 || exit.signal === 'SIGTERM', agent.describe()).toBe(true);
    const logs = agent.stdout.split('\n').filter((l) => l.startsWith('{'));
    expect(
      logs.some((l) => /stopped/i.test(l)),
      agent.describe(),
    ).toBe(true);
    expect(
      logs.some((l) => /"level":"(error|fatal)"/.test(l)),
      agent.describe(),
    ).toBe(false);
    expect(agent.stderr, agent.describe()).not.toMatch(/Uncaught|UnhandledPromiseRejection|^\s+at /m);
    await collector.proc.stop();
  }, 240_000);

  it('refuses missing or bad flags: non-zero exit, a clear message on stderr', async () => {
    const dataDir = await tempDir('agent-flags');
    const cases: [string[], RegExp][] = [
      [['--enrolment-token', 'some-token', '--data-dir', dataDir], /--server/],
      [['--server', 'not a url', '--enrolment-token', 'some-token', '--data-dir', dataDir], /--server/],
    ];
    for (const [args, message] of cases) {
      const r = await run('npm', ['run', 'agent:headless', '--', ...args], {
        env: headlessEnv(),
        timeoutMs: 170_000,
      });
      // docs/agent.md: exit code 2 (npm passes the script's code on).
      expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/^\s+at /m);
    }
  }, 360_000);
});
