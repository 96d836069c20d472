import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The built collector, as `npm start` runs it (npm test builds first).
const MAIN = fileURLToPath(new URL('../../collector-server/dist/main.js', import.meta.url));

interface Running {
  child: ChildProcess;
  /** Everything printed on stdout until the URL line and a moment after. */
  stdout(): string;
  url: string;
}

async function start(env: Record<string, string>): Promise<Running> {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env['PATH'] ?? '', PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const check = () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      // The credentials are printed in the same write as the URL.
      if (m?.[1] !== undefined) resolve(m[1]);
    };
    child.stdout?.on('data', check);
    child.on('exit', (code) => reject(new Error(`collector exited with ${code}: ${err}`)));
  });
  return { child, stdout: () => out, url };
}

function stop(r: Running): Promise<number | null> {
  return new Promise((resolve) => {
    r.child.on('exit', (code) => resolve(code));
    r.child.kill('SIGTERM');
  });
}

describe('npm start: first run and later runs', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kestrel-first-run-'));
  });
  afterAll(async () => rm(dataDir, { recursive: true, force: true }));

  let admin: { email: string; password: string };
  let enrolmentToken: string;

  it('prints the URL, a generated admin login and an enrolment token on an empty DATA_DIR', async () => {
    const r = await start({ DATA_DIR: dataDir });
    const out = r.stdout();
    const login = /First administrator: (\S+)\s+password: (\S+)/.exec(out);
    const token = /Enrolment token[^:]*: (\S+)/.exec(out);
    expect(login).not.toBeNull();
    expect(token).not.toBeNull();
    admin = { email: login?.[1] ?? '', password: login?.[2] ?? '' };
    enrolmentToken = token?.[1] ?? '';

    const session = await fetch(`${r.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(admin),
    });
    expect(session.status).toBe(200);
    const enrol = await fetch(`${r.url}/api/v1/enrol`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ enrolmentToken, hostname: 'PC', os: 'linux', agentVersion: '1' }),
    });
    expect(enrol.status).toBe(201);
    expect(await stop(r)).toBe(0);
  });

  it('prints only the URL on a later run, and the data is still there', async () => {
    const r = await start({ DATA_DIR: dataDir });
    expect(r.stdout().trim().split('\n')).toEqual([
      expect.stringMatching(/^Kestrel collector listening on http:/),
    ]);
    const session = await fetch(`${r.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(admin),
    });
    expect(session.status).toBe(200);
    expect(await stop(r)).toBe(0);
  });

  it('uses the given admin and enrolment token on first run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kestrel-first-run-given-'));
    try {
      const r = await start({
        DATA_DIR: dir,
        BOOTSTRAP_ADMIN_EMAIL: 'head@school.test',
        BOOTSTRAP_ADMIN_PASSWORD: 'a given password',
        ENROLMENT_TOKEN: 'given-enrolment-token',
      });
      expect(r.stdout()).toContain('First administrator: head@school.test  password: a given password');
      expect(r.stdout()).toContain('given-enrolment-token');
      const enrol = await fetch(`${r.url}/api/v1/enrol`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          enrolmentToken: 'given-enrolment-token',
          hostname: 'PC',
          os: 'linux',
          agentVersion: '1',
        }),
      });
      expect(enrol.status).toBe(201);
      expect(await stop(r)).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a bad configuration with a message naming the variable', async () => {
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env['PATH'] ?? '', PORT: 'eighty', DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(err).toContain('PORT="eighty"');
  });
});
