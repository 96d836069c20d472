/**
 * Acceptance: `npm start` and the collector's environment (CONTRACTS.md "Repository root" and
 * "Collector configuration"), from the outside: the built entry point `npm start` runs, its
 * stdout, and HTTP. Nothing of the collector is imported.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresUrl } from './storage-postgres.js';
import {
  captureMetadata,
  Client,
  expectError,
  humanLines,
  logLines,
  MAIN,
  parseFirstRun,
  startCollector,
  type FirstRun,
} from './support/collector.js';
import { cleanUp, freePort, ROOT, run, tempDir } from './support/processes.js';

afterAll(cleanUp);

const URL_LINE = /^[^{]*https?:\/\/\S+/;

function expectFullFirstRun(stdout: string): FirstRun {
  const printed = parseFirstRun(stdout);
  expect(printed.email, stdout).toMatch(/^[^@\s]+@[^@\s]+$/);
  expect(printed.password, stdout).toMatch(/^\S{8,}$/);
  expect(printed.enrolmentToken, stdout).toMatch(/^\S{8,}$/);
  return printed as FirstRun;
}

async function pngOf(): Promise<Buffer> {
  return sharp({ create: { width: 40, height: 30, channels: 3, background: '#8a4' } })
    .png()
    .toBuffer();
}

describe('npm start', () => {
  it('is the build followed by node collector-server/dist/main.js', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const start = pkg.scripts['start'] ?? '';
    expect(start).toMatch(/^npm run build && node collector-server\/dist\/main\.js$/);
    expect(pkg.scripts['build']).toMatch(/tsc --build/);
    expect(pkg.scripts['build']).toMatch(/build-ui/);
  });

  it('first run prints the URL, a working admin login and a working enrolment token; later runs only the URL', async () => {
    const dataDir = await tempDir('first-run');
    // LOG_LEVEL unset: exactly what `npm start` gives a new user.
    const first = await startCollector({ DATA_DIR: dataDir });
    const client = new Client(first.url);
    const health = await client.request('GET', '/healthz');
    expect(health.status).toBe(200);
    const firstStop = await first.proc.stop();
    const out1 = first.proc.stdout;
    const creds = expectFullFirstRun(out1);
    expect(humanLines(out1)[0]).toMatch(URL_LINE);
    expect(first.url).toBe(`http://127.0.0.1:${first.port}`);
    // Credentials on stdout once, never in the JSON log, never on stderr.
    for (const secret of [creds.password, creds.enrolmentToken]) {
      for (const line of logLines(out1)) expect(line).not.toContain(secret);
      expect(first.proc.stderr).not.toContain(secret);
    }
    expect(firstStop).toEqual({ code: 0, signal: null });

    const second = await startCollector({ DATA_DIR: dataDir });
    const c2 = new Client(second.url);
    const session = await c2.signIn(creds.email, creds.password);
    expect(session.status, session.text).toBe(200);
    expect(c2.cookie).toBeDefined();
    const device = await c2.enrol(creds.enrolmentToken, 'FIRST-RUN-PC');
    expect(device.deviceId).toEqual(expect.any(String));
    expect(device.deviceToken).toEqual(expect.any(String));
    await second.proc.stop();
    const out2 = second.proc.stdout;
    expect(humanLines(out2)).toEqual([expect.stringMatching(URL_LINE)]);
    expect(out2).not.toContain(creds.password);
    expect(out2).not.toContain(creds.enrolmentToken);
    expect(second.proc.stderr).not.toContain(creds.password);
    expect(second.proc.stderr).not.toContain(creds.enrolmentToken);
  }, 120_000);

  it('honours BOOTSTRAP_ADMIN_EMAIL/PASSWORD and ENROLMENT_TOKEN, and only when nothing exists yet', async () => {
    const dataDir = await tempDir('given');
    const given = {
      BOOTSTRAP_ADMIN_EMAIL: 'head@school.example',
      BOOTSTRAP_ADMIN_PASSWORD: 'a long given password',
      ENROLMENT_TOKEN: 'given-enrolment-token-123456',
    };
    const first = await startCollector({ DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...given });
    const client = new Client(first.url);
    expect((await client.signIn(given.BOOTSTRAP_ADMIN_EMAIL, given.BOOTSTRAP_ADMIN_PASSWORD)).status).toBe(
      200,
    );
    await client.enrol(given.ENROLMENT_TOKEN);
    const wrong = await new Client(first.url).signIn(given.BOOTSTRAP_ADMIN_EMAIL, 'not the password');
    expectError(wrong, 401);
    await first.proc.stop();

    // Different values on a later run create nothing: the first admin and token stay.
    const second = await startCollector({
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      BOOTSTRAP_ADMIN_EMAIL: 'other@school.example',
      BOOTSTRAP_ADMIN_PASSWORD: 'another long password',
      ENROLMENT_TOKEN: 'another-enrolment-token-123',
    });
    const c2 = new Client(second.url);
    expectError(await c2.signIn('other@school.example', 'another long password'), 401);
    expect((await c2.signIn(given.BOOTSTRAP_ADMIN_EMAIL, given.BOOTSTRAP_ADMIN_PASSWORD)).status).toBe(200);
    expectError(
      await c2.request('POST', '/api/v1/enrol', {
        json: {
          enrolmentToken: 'another-enrolment-token-123',
          hostname: 'PC',
          os: 'linux',
          agentVersion: '1',
        },
      }),
      'client',
    );
    await c2.enrol(given.ENROLMENT_TOKEN, 'PC-2');
    await second.proc.stop();
    expect(humanLines(second.proc.stdout)).toEqual([expect.stringMatching(URL_LINE)]);
  }, 120_000);

  it('defaults DATA_DIR to ./data and HOST to 127.0.0.1 (loopback only)', async () => {
    const cwd = await tempDir('cwd');
    const c = await startCollector({ DATA_DIR: undefined, LOG_LEVEL: 'warn' }, cwd);
    expect(new URL(c.url).hostname).toBe('127.0.0.1');
    expect((await new Client(c.url).request('GET', '/healthz')).status).toBe(200);
    // Not reachable on any other interface of this machine.
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((i) => i !== undefined && i.family === 'IPv4' && !i.internal)
      .map((i) => i?.address ?? '');
    for (const address of others) {
      const outcome = await new Promise<string>((resolve) => {
        const socket = connect({ host: address, port: c.port });
        socket.on('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      });
      expect(outcome, `${address}:${c.port}`).toBe('ECONNREFUSED');
    }
    await c.proc.stop();
    expect(existsSync(join(cwd, 'data')), 'DATA_DIR default ./data').toBe(true);
    expect(readdirSync(join(cwd, 'data')).length).toBeGreaterThan(0);
  }, 60_000);

  it('defaults PORT to 8080', async () => {
    const dataDir = await tempDir('port');
    const probe = join(ROOT, 'test', 'contract', 'support', 'default-port-probe.mjs');
    // A private network namespace, where 8080 is free whatever else runs on this machine.
    let result = await run(
      'unshare',
      ['-rn', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"', process.execPath, probe, MAIN, dataDir],
      {
        timeoutMs: 90_000,
      },
    );
    if (result.code !== 0 && !result.stdout.includes('{')) {
      // No user namespaces here: use the machine's own 8080, which must then be free.
      expect(await portIsFree(8080), `unshare failed (${result.stderr.trim()}) and port 8080 is in use`).toBe(
        true,
      );
      result = await run(process.execPath, [probe, MAIN, dataDir], { timeoutMs: 90_000 });
    }
    const report = JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
    expect(report, result.stderr).toMatchObject({ printed: 'http://127.0.0.1:8080', status: 200 });
  }, 120_000);

  it('refuses bad environment values: non-zero exit, the variable named on stderr, nothing served', async () => {
    const dataDir = await tempDir('bad-env');
    const cases: [Record<string, string>, string[]][] = [
      [{ PORT: 'abc' }, ['PORT']],
      [{ PORT: '70000' }, ['PORT']],
      [{ DATABASE_URL: 'mysql://root@127.0.0.1:3306/kestrel' }, ['DATABASE_URL']],
      [{ LOG_LEVEL: 'loud' }, ['LOG_LEVEL']],
      [{ BOOTSTRAP_ADMIN_PASSWORD: 'pw1' }, ['BOOTSTRAP_ADMIN_PASSWORD']],
      [{ PORT: 'abc', DATABASE_URL: 'mysql://x@y/z' }, ['PORT', 'DATABASE_URL']],
    ];
    for (const [env, names] of cases) {
      const r = await run(process.execPath, [MAIN], {
        cleanEnv: true,
        env: { DATA_DIR: dataDir, PORT: String(await freePort()), ...env },
        timeoutMs: 60_000,
      });
      const label = JSON.stringify(env);
      expect(r.code, `${label}\n${r.stderr}`).not.toBe(0);
      expect(r.code, label).not.toBeNull();
      for (const name of names) expect(r.stderr, label).toContain(name);
      expect(r.stdout, label).not.toMatch(/listening|https?:\/\//);
      // The password is a secret: named, not echoed.
      if (env['BOOTSTRAP_ADMIN_PASSWORD'] !== undefined)
        expect(r.stderr).not.toContain(env['BOOTSTRAP_ADMIN_PASSWORD']);
    }
  }, 120_000);
});

describe('npm start when the machine is not ready', () => {
  it('a port already in use: non-zero exit and a message naming it, no hang', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const r = await run(process.execPath, [MAIN], {
        cleanEnv: true,
        env: { DATA_DIR: await tempDir('busy'), PORT: String(port), LOG_LEVEL: 'warn' },
        timeoutMs: 60_000,
      });
      expect(r.signal, `${r.stdout}${r.stderr}`).toBeNull();
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(String(port));
      expect(r.stderr).toMatch(/in use|EADDRINUSE/i);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  }, 90_000);

  it('an unreachable PostgreSQL: non-zero exit and the connection error, no hang', async () => {
    const port = await freePort();
    const r = await run(process.execPath, [MAIN], {
      cleanEnv: true,
      env: {
        DATA_DIR: await tempDir('pg-down'),
        PORT: String(await freePort()),
        DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/kestrel`,
        LOG_LEVEL: 'warn',
      },
      timeoutMs: 60_000,
    });
    expect(r.signal, `${r.stdout}${r.stderr}`).toBeNull();
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/ECONNREFUSED|connect/i);
    expect(r.stdout).not.toMatch(/listening/);
  }, 90_000);
});

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.on('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(true));
  });
}

// PostgreSQL: like the other suites, required when KESTREL_REQUIRE_POSTGRES=1, otherwise run when reachable.
const pgUrl = await postgresUrl();
const pgCases = pgUrl === undefined ? [] : [pgUrl];

describe.each(pgCases)('npm start with DATABASE_URL=postgres://… (%s)', (serverUrl) => {
  it('selects PostgreSQL: first run, ingest, restart with only the URL printed', async () => {
    const name = `kestrel_acceptance_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${name}"`);
      const dbUrl = new URL(serverUrl);
      dbUrl.pathname = `/${name}`;
      const dataDir = await tempDir('pg');
      const env = { DATA_DIR: dataDir, DATABASE_URL: dbUrl.toString(), LOG_LEVEL: 'warn' };

      const first = await startCollector(env);
      const client = new Client(first.url);
      const creds = expectFullFirstRun(first.proc.stdout);
      expect((await client.signIn(creds.email, creds.password)).status).toBe(200);
      const device = await client.enrol(creds.enrolmentToken);
      const meta = captureMetadata();
      const posted = await client.postCapture(device.deviceToken, meta, await pngOf(), 'image/png');
      expect(posted.status, posted.text).toBe(201);
      await first.proc.stop();

      const second = await startCollector(env);
      expect(humanLines(second.proc.stdout)).toEqual([expect.stringMatching(URL_LINE)]);
      const c2 = new Client(second.url);
      expect((await c2.signIn(creds.email, creds.password)).status).toBe(200);
      const list = await c2.request('GET', '/api/v1/captures?status=unreviewed');
      expect(list.status, list.text).toBe(200);
      const items = (list.body as { items: { captureId: string }[] }).items;
      expect(items.map((i) => i.captureId)).toEqual([meta['captureId']]);
      await second.proc.stop();

      // The data went to PostgreSQL, not to a SQLite file in DATA_DIR.
      const db = new pg.Client({ connectionString: dbUrl.toString() });
      await db.connect();
      try {
        const tables = await db.query<{ n: string }>(
          "select count(*) as n from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema')",
        );
        expect(Number(tables.rows[0]?.n)).toBeGreaterThan(0);
      } finally {
        await db.end();
      }
      expect(readdirSync(dataDir).filter((f) => /sqlite|\.db$/.test(f))).toEqual([]);
    } finally {
      await cleanUp();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    }
  }, 120_000);
});
