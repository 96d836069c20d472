/**
 * Moderator queue benchmark (`npm run bench -- ui`): one million captures in SQLite, then the queue
 * API's and a triage action's latency over real HTTP on loopback. Method and results:
 * docs/benchmarks.md, "Moderator queue". The generated database is cached in .bench-cache/ (gitignored).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { buildApp } from '../collector-server/src/app.js';
import { staffSecurityRepository } from '../collector-server/src/adapters/repositories/staff-security.js';
import { openStorage } from '../collector-server/src/adapters/storage.js';
import { testConfig } from '../collector-server/src/config/config.js';
import { csrfTokenFor } from '../collector-server/src/domain/moderation/csrf.js';
import { generateTotpSecret, totpCode } from '../collector-server/src/domain/moderation/totp.js';
import { hashPassword } from '../collector-server/src/domain/secrets.js';

const TOTAL = Number(process.env['KESTREL_BENCH_UI_CAPTURES'] ?? 1_000_000);
const SCHOOLS = 20;
const DIR = resolve('.bench-cache', `ui-${TOTAL}`);
const PASSWORD = 'benchmark password';
const SAMPLES = 300;

// Category weights and typical severities, roughly what a year of a secondary school looks like.
const CATEGORIES: [string, number, number[], string[]][] = [
  ['bullying', 20, [2, 3, 4], ['nobody likes you', 'you are worthless', 'loser', 'go away freak']],
  ['circumvention', 15, [1, 2], ['vpn', 'proxy site', 'unblocked games']],
  ['drugs', 13, [2, 3], ['cannabis', 'weed', 'cocaine']],
  ['sexual-content', 10, [3, 4], ['porn', 'nudes']],
  ['violence', 10, [2, 3, 4], ['knife', 'stab', 'gun']],
  ['gambling', 8, [1, 2], ['online casino', 'bet365']],
  ['discrimination', 6, [3, 4], ['slur one', 'slur two']],
  ['self-harm', 6, [4, 5], ['cut myself', 'hurt myself']],
  ['suicide', 5, [4, 5], ['kill myself', 'want to die']],
  ['extremism', 3, [3, 4, 5], ['join isis', 'race war']],
  ['cse', 2, [4, 5], ['send me a pic', 'our secret']],
  ['illegal', 0.5, [5], ['illegal term']],
];
const WEIGHT_SUM = CATEGORIES.reduce((s, c) => s + c[1], 0);

function pick<T>(items: readonly T[], r: number): T {
  return items[Math.floor(r * items.length) % items.length] as T;
}

function pickCategory(r: number): (typeof CATEGORIES)[number] {
  let x = r * WEIGHT_SUM;
  for (const c of CATEGORIES) {
    x -= c[1];
    if (x <= 0) return c;
  }
  return CATEGORIES[0] as (typeof CATEGORIES)[number];
}

/** A small deterministic PRNG, so the data set is the same on every run. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Fixture {
  schoolIds: string[];
  users: { email: string; id: string; secret: string }[];
}

async function generate(): Promise<Fixture> {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  const config = testConfig(DIR);
  const storage = await openStorage(config.database);
  const now = Date.now();
  const schoolIds: string[] = [];
  for (let i = 0; i < SCHOOLS; i++) {
    const id = randomUUID();
    schoolIds.push(id);
    await storage.schools.create({
      id,
      name: `School ${i + 1}`,
      timeZone: 'Europe/London',
      createdAt: new Date(now).toISOString(),
    });
  }
  const users: Fixture['users'] = [];
  const hash = await hashPassword(PASSWORD);
  for (const [email, schools] of [
    ['moderator@school1.bench', [schoolIds[0] as string]],
    ['la.team@county.bench', schoolIds],
  ] as const) {
    const id = randomUUID();
    await storage.users.create({
      id,
      email,
      displayName: email,
      passwordHash: hash,
      createdAt: new Date(now).toISOString(),
      disabledAt: null,
    });
    for (const schoolId of schools)
      await storage.users.addMembership({ userId: id, schoolId, role: 'moderator' });
    const secret = generateTotpSecret();
    const security = staffSecurityRepository(storage.db);
    await security.setPendingSecret(id, secret);
    await security.confirmSecret(id, secret, new Date(now).toISOString(), 0);
    users.push({ email, id, secret });
  }
  await storage.close();

  // Bulk load with plain prepared statements in one transaction, indexes dropped and rebuilt after.
  const db = new Database(join(DIR, 'kestrel.sqlite'));
  // A throw-away load: no journal, no fsync, a big page cache for the index builds.
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  db.pragma('temp_store = MEMORY');
  const indexes = db
    .prepare(
      "select name, sql from sqlite_master where type = 'index' and tbl_name = 'captures' and sql is not null",
    )
    .all() as { name: string; sql: string }[];
  for (const i of indexes) db.exec(`drop index ${i.name}`);
  const deviceIds: string[][] = schoolIds.map(() => []);
  const insertDevice = db.prepare(
    `insert into devices (id, school_id, hostname, os, agent_version, token_hash, enrolment_token_id, enrolled_at, revoked_at, last_seen_at)
     values (?, ?, ?, 'windows 11', '0.1.0', ?, null, ?, null, null)`,
  );
  const insert = db.prepare(
    `insert into captures (id, school_id, device_id, capture_id, captured_at, captured_at_utc, machine, os_user, source,
      category, severity, term, context, window_title, application, url, screenshot_sha256, screenshot_media_type,
      screenshot_bytes, width, height, thumbnail_sha256, thumbnail_media_type, status, received_at, reviewed_by, reviewed_at, group_key)
     values (?, ?, ?, ?, ?, ?, ?, ?, 'typed', ?, ?, ?, ?, ?, 'chrome.exe', null, ?, 'image/jpeg', 150000, 1920, 1080, ?, 'image/webp', ?, ?, null, null, ?)`,
  );
  const rand = prng(42);
  const sha = 'a'.repeat(64);
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  db.transaction(() => {
    schoolIds.forEach((schoolId, s) => {
      for (let d = 0; d < 120; d++) {
        const id = randomUUID();
        deviceIds[s]?.push(id);
        insertDevice.run(
          id,
          schoolId,
          `S${s + 1}-PC${String(d).padStart(3, '0')}`,
          `hash-${id}`,
          new Date(now).toISOString(),
        );
      }
    });
    let made = 0;
    const year = 365 * 86_400_000;
    while (made < TOTAL) {
      // A burst: one phrase from several machines of one school within minutes (a lesson), or a lone capture.
      const s = Math.floor(rand() ** 1.3 * SCHOOLS);
      const schoolId = schoolIds[s] as string;
      const [category, , severities, terms] = pickCategory(rand());
      const term = pick(terms, rand());
      const severity = pick(severities, rand());
      const size = rand() < 0.7 ? 1 : Math.min(TOTAL - made, 2 + Math.floor(rand() * 25));
      // Newer days hold more captures (growth), and the last week is mostly still in the queue.
      const at = now - rand() ** 2 * year;
      const recent = now - at < 7 * 86_400_000;
      let groupKey: string | null = null;
      for (let k = 0; k < size; k++) {
        const id = randomUUID();
        groupKey ??= id;
        const t = new Date(at + k * 20_000).toISOString();
        const deviceIdx = Math.floor(rand() * 120);
        const status = recent
          ? rand() < 0.6
            ? 'unreviewed'
            : pick(['dismissed', 'reviewed', 'escalated'], rand())
          : rand() < 0.01
            ? 'unreviewed'
            : pick(['dismissed', 'dismissed', 'dismissed', 'reviewed', 'escalated'], rand());
        insert.run(
          id,
          schoolId,
          deviceIds[s]?.[deviceIdx],
          randomUUID(),
          t,
          t,
          `S${s + 1}-PC${String(deviceIdx).padStart(3, '0')}`,
          `pupil${Math.floor(rand() * 1200)}`,
          category,
          severity,
          term,
          `some typed text around ${term} and more words after it`,
          `${term} - Search - Browser`,
          sha,
          sha,
          status,
          t,
          groupKey,
        );
        made++;
      }
    }
  })();
  const loaded = performance.now();
  for (const i of indexes) db.exec(i.sql);
  db.exec('analyze');
  db.pragma('journal_mode = WAL');
  db.close();
  const cpu = process.cpuUsage(cpuStarted);
  const secs = (ms: number) => (ms / 1000).toFixed(1);
  console.log(
    `generated ${TOTAL.toLocaleString('en-GB')} captures in ${secs(loaded - started)} s, indexes in ${secs(performance.now() - loaded)} s (${secs((cpu.user + cpu.system) / 1000)} s of CPU; load average ${loadavg()[0]?.toFixed(1)})`,
  );
  return { schoolIds, users };
}

async function fixture(): Promise<Fixture> {
  const file = join(DIR, 'kestrel.sqlite');
  if (existsSync(file)) {
    const db = new Database(file, { readonly: true });
    const n = (db.prepare('select count(*) as n from captures').get() as { n: number }).n;
    const schoolIds = (db.prepare('select id from schools order by name').all() as { id: string }[]).map(
      (r) => r.id,
    );
    const users = db
      .prepare(
        'select u.id, u.email, t.secret from users u join staff_totp t on t.user_id = u.id order by u.email desc',
      )
      .all() as { id: string; email: string; secret: string }[];
    db.close();
    if (n === TOTAL && users.length === 2) {
      console.log(`reusing ${n.toLocaleString('en-GB')} captures in ${DIR}`);
      return { schoolIds, users };
    }
  }
  return generate();
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/**
 * Latency percentiles, and CPU time per request (client and server share this process): the CPU
 * figure barely moves when other work shares the machine, the wall-clock tail does.
 */
function summary(name: string, ms: number[], cpuMicros?: number): void {
  const s = [...ms].sort((a, b) => a - b);
  const f = (n: number) => n.toFixed(1).padStart(6);
  const cpu = cpuMicros === undefined ? '' : `  cpu ${(cpuMicros / 1000 / s.length).toFixed(1)} ms/req`;
  const n = String(s.length).padStart(4);
  console.log(
    `${name.padEnd(52)} n=${n}  p50 ${f(percentile(s, 50))} ms  p95 ${f(percentile(s, 95))} ms  max ${f(s.at(-1) ?? NaN)} ms${cpu}`,
  );
}

const cpuNow = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

export async function run(): Promise<void> {
  const { users } = await fixture();
  console.log(
    `load average before: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} (2 cores, shared)`,
  );
  const config = testConfig(DIR);
  const storage = await openStorage(config.database);
  const app = await buildApp(config, { storage });
  // Time inside the server (Fastify's own clock, request received to answer sent), per route.
  const serverMs = new Map<string, number[]>();
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? '';
    serverMs.set(route, [...(serverMs.get(route) ?? []), reply.elapsedTime]);
  });
  const serverTimes = (route: string) => {
    const all = serverMs.get(route) ?? [];
    serverMs.set(route, []);
    return all;
  };
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  try {
    let step = Math.floor(Date.now() / 30_000) - 1;
    const sessions = [];
    for (const u of users) {
      // Each run signs in with a step later than any used before (the server refuses replays).
      const state = await staffSecurityRepository(storage.db).totp(u.id);
      step = Math.max(step, (state?.lastStep ?? 0) + 1);
      const res = await fetch(`${base}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: u.email, password: PASSWORD, totp: totpCode(u.secret, step * 30_000) }),
      });
      if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
      const token = /kestrel_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? '';
      sessions.push({ email: u.email, cookie: `kestrel_session=${token}`, csrf: csrfTokenFor(token) });
    }
    const timed = async (url: string, init: RequestInit = {}) => {
      const t0 = performance.now();
      const res = await fetch(`${base}${url}`, init);
      const body = await res.text();
      const ms = performance.now() - t0;
      if (!res.ok) throw new Error(`${url}: ${res.status} ${body}`);
      return { ms, body };
    };
    const get = (cookie: string, url: string) => timed(url, { headers: { cookie } });

    for (const s of sessions) {
      // Warm-up: caches and prepared statements, as a moderator's first click would.
      for (let i = 0; i < 10; i++) await get(s.cookie, '/api/v1/queue?limit=50');
      serverTimes('/api/v1/queue');
      const first: number[] = [];
      const deep: number[] = [];
      const filtered: number[] = [];
      const cpu0 = cpuNow();
      for (let i = 0; i < SAMPLES / 3; i++) {
        first.push((await get(s.cookie, '/api/v1/queue?limit=50')).ms);
        // Walk five pages down with the cursor.
        let cursor: string | null = null;
        for (let p = 0; p < 5; p++) {
          const r = await get(s.cookie, `/api/v1/queue?limit=50${cursor ? `&cursor=${cursor}` : ''}`);
          if (p > 0) deep.push(r.ms);
          cursor = (JSON.parse(r.body) as { nextCursor: string | null }).nextCursor;
          if (!cursor) break;
        }
        filtered.push(
          (await get(s.cookie, `/api/v1/queue?limit=50&category=${pick(CATEGORIES, i / 40)[0]}`)).ms,
        );
      }
      summary(`queue, first page (${s.email})`, first);
      summary(`queue, pages 2–5 by cursor (${s.email})`, deep);
      summary(`queue, category filter (${s.email})`, filtered);
      summary(`queue, all of the above (${s.email})`, [...first, ...deep, ...filtered], cpuNow() - cpu0);
      summary(`  in the server (${s.email})`, serverTimes('/api/v1/queue'));
    }

    // Triage: one capture at a time, as a moderator pressing r down the queue.
    const s = sessions[0];
    if (s === undefined) throw new Error('no session');
    const page = JSON.parse((await get(s.cookie, '/api/v1/queue?limit=200&severity=1')).body) as {
      items: { capture: { id: string } }[];
    };
    const ids = page.items.map((r) => r.capture.id);
    const acted: number[] = [];
    const undone: { actionId: string }[] = [];
    serverTimes('/api/v1/moderation/actions');
    const cpu0 = cpuNow();
    for (const id of ids.slice(0, SAMPLES)) {
      const r = await timed('/api/v1/moderation/actions', {
        method: 'POST',
        headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'review', captureIds: [id] }),
      });
      acted.push(r.ms);
      undone.push(JSON.parse(r.body) as { actionId: string });
    }
    summary('triage action (review one capture)', acted, cpuNow() - cpu0);
    summary('  in the server', serverTimes('/api/v1/moderation/actions'));
    // Put the data set back as it was, so the next run measures the same queue.
    for (const a of undone) {
      await fetch(`${base}/api/v1/moderation/actions/${a.actionId}/undo`, {
        method: 'POST',
        headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/json' },
        body: '{}',
      });
    }
  } finally {
    console.log(
      `load average after: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    await app.close();
    await storage.close();
  }
}
