/**
 * Collector ingest benchmark (docs/benchmarks.md, "Collector ingest").
 *
 * Simulated agents on loopback post captures (a realistic ~150 KB 1080p JPEG) and heartbeats to the
 * real collector (`collector-server/dist/main.js` in a child process) on SQLite and on PostgreSQL.
 * In the same run it measures two ceilings on the same machine:
 *   - capture ceiling: the collector's own image step (sharp header + decode + thumbnail) on the
 *     same images with no HTTP and no storage, at the same parallelism;
 *   - heartbeat ceiling: a bare Fastify route that parses the same JSON body and answers 200.
 * Clients use node:http with keep-alive sockets, one device per client slot.
 *
 * Each upload is a distinct image (a JPEG comment segment carries a counter) so content addressing
 * stores every file, as with real screenshots; after MAX_DISTINCT uploads the images repeat, which
 * bounds disk use in the soak run (rows keep growing, files are deduplicated).
 *
 * `KESTREL_BENCH_SOAK_SECONDS=300 npm run bench -- collector` adds a memory soak: captures and
 * heartbeats together on SQLite for that long, the server's RSS sampled throughout.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import sharp from 'sharp';
import { startTestSmtpServer } from '../collector-server/src/adapters/mail/test-smtp-server.test-support.js';

type MailSink = Awaited<ReturnType<typeof startTestSmtpServer>>;

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = join(ROOT, 'collector-server/dist/main.js');
const PROCESSOR = join(ROOT, 'collector-server/dist/adapters/sharp-image-processor.js');
/** Images in flight for the image ceiling: as many as cores, and twice that; the better counts. */
const CEILING_PARALLEL = [Math.max(2, availableParallelism()), Math.max(2, availableParallelism() * 2)];
const ENROLMENT_TOKEN = 'bench-enrolment-token-0123456789';
const PG_URL = process.env['KESTREL_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

const SECONDS = {
  sharpCeiling: Number(process.env['KESTREL_BENCH_CEILING_SECONDS'] ?? 5),
  captures: Number(process.env['KESTREL_BENCH_CAPTURE_SECONDS'] ?? 20),
  heartbeats: Number(process.env['KESTREL_BENCH_HEARTBEAT_SECONDS'] ?? 10),
  soak: Number(process.env['KESTREL_BENCH_SOAK_SECONDS'] ?? 0),
};
const CAPTURE_CLIENTS = 16;
const HEARTBEAT_CLIENTS = 32;
const MAX_DISTINCT = 4000;
const TARGET_BYTES = 150 * 1024;

// ---------- the screenshot -------------------------------------------------------------------

/** A 1920×1080 desktop-like picture: gradient wallpaper, windows, lines of "text". */
function desktopPixels(): Buffer {
  const W = 1920;
  const H = 1080;
  const raw = Buffer.alloc(W * H * 3);
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = (y * W + x) * 3;
      raw[i] = 40 + (x / W) * 60;
      raw[i + 1] = 90 + (y / H) * 80;
      raw[i + 2] = 160;
    }
  }
  for (let k = 0; k < 5; k++) {
    const x0 = Math.floor(rnd() * 1500);
    const y0 = Math.floor(rnd() * 700);
    const w = 300 + Math.floor(rnd() * 700);
    const h = 200 + Math.floor(rnd() * 400);
    const bg = 200 + Math.floor(rnd() * 55);
    for (let y = y0; y < Math.min(H, y0 + h); y++) {
      for (let x = x0; x < Math.min(W, x0 + w); x++) {
        const i = (y * W + x) * 3;
        const dy = y - y0;
        const dx = x - x0;
        const titleBar = dy < 28;
        // Lines of "words": glyph cells, gaps between words, ragged line ends.
        const line = (dy / 26) | 0;
        const glyph =
          dy > 40 &&
          dy % 26 > 10 &&
          dy % 26 < 20 &&
          dx % 9 < 6 &&
          ((dx / 9) | 0) % 6 !== 5 &&
          dx < w * (0.5 + 0.45 * (((line * 37) % 10) / 10));
        const v = titleBar ? 70 : glyph ? 90 : bg;
        raw[i] = v;
        raw[i + 1] = v;
        raw[i + 2] = titleBar ? 140 : v;
      }
    }
  }
  return raw;
}

/** The JPEG quality whose output is closest to ~150 KB. */
async function realisticJpeg(): Promise<Buffer> {
  const raw = desktopPixels();
  const encode = (quality: number) =>
    sharp(raw, { raw: { width: 1920, height: 1080, channels: 3 } })
      .jpeg({ quality })
      .toBuffer();
  let best = await encode(75);
  for (const q of [30, 40, 50, 60, 70, 80, 85, 90, 95]) {
    const b = await encode(q);
    if (Math.abs(b.length - TARGET_BYTES) < Math.abs(best.length - TARGET_BYTES)) best = b;
  }
  return best;
}

/** The same JPEG with a comment segment after SOI: a different file, the same picture. */
function variant(jpeg: Buffer, n: number): Buffer[] {
  const text = Buffer.from(`kestrel-bench-${n % MAX_DISTINCT}`);
  const com = Buffer.alloc(4);
  com.writeUInt16BE(0xfffe, 0);
  com.writeUInt16BE(text.length + 2, 2);
  // Pieces, not one copy: the simulated agents share the collector's two cores, so they should
  // cost as little as they can.
  return [jpeg.subarray(0, 2), com, text, jpeg.subarray(2)];
}

// ---------- HTTP load -----------------------------------------------------------------------

interface Shot {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** The body, sent piece by piece (no copy into one buffer). */
  body?: Buffer | Buffer[];
  /** An urgent capture (counted apart, to check its alert arrived). */
  urgent?: boolean;
}

interface LoadResult {
  ok: number;
  urgentOk: number;
  /** Capture id → when its urgent upload was answered (`Date.now()`). */
  urgentAcks: Map<string, number>;
  failed: Map<string, number>;
  seconds: number;
  latenciesMs: number[];
}

function send(agent: Agent, base: URL, shot: Shot): Promise<{ status: number; body: Buffer }> {
  const pieces = shot.body === undefined ? undefined : Buffer.isBuffer(shot.body) ? [shot.body] : shot.body;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method: shot.method,
        path: shot.path,
        headers: {
          ...shot.headers,
          ...(pieces === undefined
            ? {}
            : { 'content-length': String(pieces.reduce((n, b) => n + b.length, 0)) }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.cork();
    for (const piece of pieces ?? []) req.write(piece);
    req.end();
  });
}

/** `clients` loops, each sending its next request as soon as the previous one answered. */
async function load(
  base: URL,
  clients: number,
  seconds: number,
  next: (client: number, i: number) => Shot,
  okStatus: (status: number) => boolean,
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const failed = new Map<string, number>();
  const latenciesMs: number[] = [];
  let ok = 0;
  let urgentOk = 0;
  const urgentAcks = new Map<string, number>();
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let i = 0; performance.now() < end; i++) {
        const t0 = performance.now();
        try {
          const shot = next(client, i);
          const res = await send(agent, base, shot);
          if (okStatus(res.status)) {
            ok++;
            if (shot.urgent === true) {
              urgentOk++;
              urgentAcks.set((JSON.parse(res.body.toString()) as { id: string }).id, Date.now());
            }
            latenciesMs.push(performance.now() - t0);
          } else {
            const key = `${res.status} ${res.body.toString().slice(0, 80)}`;
            failed.set(key, (failed.get(key) ?? 0) + 1);
          }
        } catch (err) {
          const key = String(err);
          failed.set(key, (failed.get(key) ?? 0) + 1);
        }
      }
    }),
  );
  agent.destroy();
  return { ok, urgentOk, urgentAcks, failed, seconds: (performance.now() - start) / 1000, latenciesMs };
}

const rate = (r: LoadResult) => r.ok / r.seconds;
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

// ---------- processes -----------------------------------------------------------------------

interface Server {
  child: ChildProcess;
  base: URL;
  stop(): Promise<void>;
}

/**
 * Allocator settings pass through to every measured process, the collector and the image ceiling
 * alike, to compare memory behaviour (`MALLOC_ARENA_MAX=2`, recommended in docs/collector.md).
 */
const ALLOCATOR_ENV: Record<string, string> =
  process.env['MALLOC_ARENA_MAX'] === undefined ? {} : { MALLOC_ARENA_MAX: process.env['MALLOC_ARENA_MAX'] };
/** The collector's own thread pool (main.ts), for the image ceiling too. */
const THREAD_POOL_ENV = { UV_THREADPOOL_SIZE: '16' };

/**
 * Extra Node flags for the collector process only, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to see
 * where its main thread spends the time per capture.
 */
const SERVER_NODE_FLAGS = (process.env['KESTREL_BENCH_SERVER_NODE_FLAGS'] ?? '').split(' ').filter(Boolean);

function startProcess(args: string[], env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...ALLOCATOR_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1] !== undefined) {
        resolve({
          child,
          base: new URL(m[1]),
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.on('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.on('exit', (code) => reject(new Error(`process exited with ${code}: ${err.slice(0, 2000)}`)));
  });
}

/** Resident set size of a process, in MiB (Linux). */
async function rssMiB(pid: number | undefined): Promise<number> {
  if (pid === undefined) return NaN;
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
  return kb === undefined ? NaN : Number(kb) / 1024;
}

function sampleRss(
  pid: number | undefined,
  everyMs: number,
): { stop(): Promise<{ t: number; mib: number }[]> } {
  const samples: { t: number; mib: number }[] = [];
  const t0 = performance.now();
  const timer = setInterval(() => {
    void rssMiB(pid).then((mib) => samples.push({ t: (performance.now() - t0) / 1000, mib }));
  }, everyMs);
  return {
    async stop() {
      clearInterval(timer);
      samples.push({ t: (performance.now() - t0) / 1000, mib: await rssMiB(pid) });
      return samples;
    },
  };
}

const BARE_ROUTE = `
import Fastify from 'fastify';
const app = Fastify({ logger: false });
app.post('/api/v1/heartbeat', async (request) => {
  if (typeof request.body !== 'object' || request.body === null) throw new Error('no body');
  return { ok: true };
});
const address = await app.listen({ port: 0, host: '127.0.0.1' });
console.log('listening on ' + address);
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
`;

// ---------- the agent side ------------------------------------------------------------------

/**
 * One capture in `URGENT_EVERY` is urgent under the default alert rule (self-harm), the rest are
 * not (bullying, severity 2): the alert job must find the few among the many, and mail each once.
 */
const URGENT_EVERY = 20;
const isUrgent = (n: number) => n % URGENT_EVERY === 0;

function multipartCapture(jpeg: Buffer, n: number): { body: Buffer[]; contentType: string } {
  const boundary = `kestrel-bench-${randomBytes(6).toString('hex')}`;
  const urgent = isUrgent(n);
  const metadata = JSON.stringify({
    captureId: randomUUID(),
    capturedAt: new Date().toISOString(),
    machine: `LAB1-PC${String(n % 30).padStart(2, '0')}`,
    user: `pupil${n % 300}`,
    source: 'typed',
    category: urgent ? 'self-harm' : 'bullying',
    severity: urgent ? 4 : 2,
    term: urgent ? 'hurt myself' : 'nobody likes you',
    context: urgent ? 'sometimes i just want to hurt myself and nobody' : 'honestly nobody likes you at all',
    windowTitle: 'Untitled document - Google Docs - Google Chrome',
    application: 'chrome.exe',
    url: 'https://docs.google.com/document/d/1abc/edit',
  });
  const body = [
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="metadata"\r\nContent-Type: application/json\r\n\r\n${metadata}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="screenshot"; filename="screen.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
    ),
    ...variant(jpeg, n),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ];
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

const HEARTBEAT = Buffer.from(
  JSON.stringify({
    agentVersion: '0.1.0',
    lexiconVersion: '2026.11.1',
    queueLength: 0,
    health: {
      sources: { keyboard: { state: 'ok' }, window: { state: 'ok' }, screenshot: { state: 'ok' } },
      missingPermissions: [],
      evictions: 0,
      quarantined: 0,
      paused: false,
    },
  }),
);

async function enrolDevices(base: URL, count: number): Promise<string[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await send(agent, base, {
      method: 'POST',
      path: '/api/v1/enrol',
      headers: { 'content-type': 'application/json' },
      body: Buffer.from(
        JSON.stringify({
          enrolmentToken: ENROLMENT_TOKEN,
          hostname: `BENCH-${i}`,
          os: 'windows 11',
          agentVersion: '0.1.0',
        }),
      ),
    });
    if (res.status !== 201) throw new Error(`enrol failed: ${res.status} ${res.body.toString()}`);
    tokens.push((JSON.parse(res.body.toString()) as { deviceToken: string }).deviceToken);
  }
  agent.destroy();
  return tokens;
}

let uploadCounter = 0;
const captureShot = (jpeg: Buffer, token: string): Shot => {
  const n = uploadCounter++;
  const { body, contentType } = multipartCapture(jpeg, n);
  return {
    urgent: isUrgent(n),
    method: 'POST',
    path: '/api/v1/captures',
    headers: { 'content-type': contentType, authorization: `Bearer ${token}` },
    body,
  };
};
const heartbeatShot = (token: string): Shot => ({
  method: 'POST',
  path: '/api/v1/heartbeat',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
  body: HEARTBEAT,
});

// ---------- measurements --------------------------------------------------------------------

/** CPU time a process has used (user + system, all threads), in ms (Linux). */
async function cpuMs(pid: number | undefined): Promise<number> {
  if (pid === undefined) return NaN;
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // Fields after the parenthesised command name; utime and stime are the 12th and 13th, in ticks.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}
const CLOCK_TICKS = 100;

interface Ceiling {
  rate: number;
  /** CPU time per unit of work (ms per image, ms per request): independent of other load on the machine. */
  cpuMs: number;
}

/**
 * The image step alone, in its own process with the collector's environment (allocator, thread
 * pool) and the collector's built `SharpImageProcessor`, so that both sides run the same code under
 * the same settings: `parallel` images in flight (the collector's own limit), the same variants of
 * the same JPEG. Reports its own CPU time (all threads) per image.
 */
const SHARP_CEILING = `
import { readFileSync } from 'node:fs';
const { SharpImageProcessor } = await import(process.env.KESTREL_PROCESSOR_URL);
const jpeg = readFileSync(process.env.KESTREL_JPEG);
const [parallel, seconds] = [Number(process.env.KESTREL_PARALLEL), Number(process.env.KESTREL_SECONDS)];
const variant = (n) => {
  const text = Buffer.from('kestrel-bench-' + n);
  const com = Buffer.alloc(4);
  com.writeUInt16BE(0xfffe, 0);
  com.writeUInt16BE(text.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), com, text, jpeg.subarray(2)]);
};
const images = new SharpImageProcessor(undefined, parallel);
let n = 0;
const loop = async (until) => {
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (performance.now() < until) await images.process(variant(n++), 'image/jpeg');
  }));
};
await loop(performance.now() + 1000);
n = 0;
const cpu0 = process.cpuUsage();
const start = performance.now();
await loop(start + seconds * 1000);
const cpu = process.cpuUsage(cpu0);
console.log(JSON.stringify({ rate: n / ((performance.now() - start) / 1000), cpuMs: (cpu.user + cpu.system) / 1000 / n }));
`;

async function sharpCeiling(jpegFile: string, parallel: number, seconds: number): Promise<Ceiling> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', SHARP_CEILING], {
    cwd: ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      ...ALLOCATOR_ENV,
      ...THREAD_POOL_ENV,
      KESTREL_PROCESSOR_URL: pathToFileURL(PROCESSOR).href,
      KESTREL_JPEG: jpegFile,
      KESTREL_PARALLEL: String(parallel),
      KESTREL_SECONDS: String(seconds),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`sharp ceiling exited with ${code}: ${err.slice(0, 2000)}`);
  return JSON.parse(out) as Ceiling;
}

async function bareRouteCeiling(seconds: number): Promise<Ceiling> {
  const server = await startProcess(['--input-type=module', '-e', BARE_ROUTE], {});
  try {
    const cpu0 = await cpuMs(server.child.pid);
    const r = await load(
      server.base,
      HEARTBEAT_CLIENTS,
      seconds,
      () => heartbeatShot('x'),
      (s) => s === 200,
    );
    return { rate: rate(r), cpuMs: ((await cpuMs(server.child.pid)) - cpu0) / r.ok };
  } finally {
    await server.stop();
  }
}

interface CollectorResult {
  name: string;
  captures: LoadResult;
  heartbeats: LoadResult;
  rss: { t: number; mib: number }[];
  /** Collector process CPU per stored capture and per heartbeat, in ms (PostgreSQL's own CPU not included). */
  cpuPerCapture: number;
  cpuPerHeartbeat: number;
  /** Share of the capture phase the collector's event loop was busy (1: the main thread is the limit). */
  loopBusyCaptures: number;
}

/** The collector's `kestrel_event_loop_busy_seconds_total`. */
async function loopBusySeconds(base: URL): Promise<number> {
  const text = await (await fetch(`${base.origin}/metrics`)).text();
  return Number(/^kestrel_event_loop_busy_seconds_total (\S+)$/m.exec(text)?.[1] ?? NaN);
}

async function collector(name: string, env: Record<string, string>, jpeg: Buffer): Promise<CollectorResult> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kestrel-bench-'));
  const server = await startProcess([...SERVER_NODE_FLAGS, MAIN], {
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    ENROLMENT_TOKEN,
    BOOTSTRAP_ADMIN_PASSWORD: 'bench-admin-password',
    DEVICE_CAPTURES_PER_MINUTE: '1000000',
    DEVICE_REQUESTS_PER_MINUTE: '1000000',
    ...env,
  });
  try {
    const tokens = await enrolDevices(server.base, HEARTBEAT_CLIENTS);
    const token = (client: number) => tokens[client % tokens.length] ?? '';
    const sampler = sampleRss(server.child.pid, 1000);
    // A short warm-up so JIT and page cache do not count against the first seconds.
    await load(
      server.base,
      CAPTURE_CLIENTS,
      2,
      (c) => captureShot(jpeg, token(c)),
      (s) => s === 201,
    );
    const cpu0 = await cpuMs(server.child.pid);
    const busy0 = await loopBusySeconds(server.base);
    const client0 = process.cpuUsage();
    const captures = await load(
      server.base,
      CAPTURE_CLIENTS,
      SECONDS.captures,
      (c) => captureShot(jpeg, token(c)),
      (s) => s === 201,
    );
    const cpu1 = await cpuMs(server.child.pid);
    const client = process.cpuUsage(client0);
    console.log(
      `  ${name}: the simulated agents used ${fmt((client.user + client.system) / 1000 / captures.ok, 2)} ms of CPU per capture`,
    );
    const loopBusyCaptures = ((await loopBusySeconds(server.base)) - busy0) / captures.seconds;
    const heartbeats = await load(
      server.base,
      HEARTBEAT_CLIENTS,
      SECONDS.heartbeats,
      (c) => heartbeatShot(token(c)),
      (s) => s === 200,
    );
    const cpu2 = await cpuMs(server.child.pid);
    return {
      name,
      captures,
      heartbeats,
      rss: await sampler.stop(),
      cpuPerCapture: (cpu1 - cpu0) / captures.ok,
      cpuPerHeartbeat: (cpu2 - cpu1) / heartbeats.ok,
      loopBusyCaptures,
    };
  } finally {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function soak(
  jpeg: Buffer,
  seconds: number,
  mail: MailSink,
): Promise<{
  rss: { t: number; mib: number }[];
  heap: { t: number; heapMiB: number; externalMiB: number }[];
  captures: number;
  heartbeats: number;
  urgentStored: number;
  urgentMailed: number;
  /** Seconds from the end of the load to the last urgent alert arriving. */
  alertLagSeconds: number;
  /** Seconds from each urgent capture's 201 to its alert e-mail arriving. */
  alertDelays: number[];
}> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kestrel-soak-'));
  const server = await startProcess([MAIN], {
    PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    ENROLMENT_TOKEN,
    BOOTSTRAP_ADMIN_PASSWORD: 'bench-admin-password',
    DEVICE_CAPTURES_PER_MINUTE: '1000000',
    DEVICE_REQUESTS_PER_MINUTE: '1000000',
    SMTP_URL: mail.url,
  });
  try {
    const tokens = await enrolDevices(server.base, 16);
    const token = (client: number) => tokens[client % tokens.length] ?? '';
    const sampler = sampleRss(server.child.pid, 5000);
    const mailedBefore = mail.received.filter((m) => /urgent/i.test(m.subject)).length;
    const heap: { t: number; heapMiB: number; externalMiB: number }[] = [];
    const t0 = performance.now();
    const heapTimer = setInterval(() => {
      void fetch(`${server.base.origin}/metrics`)
        .then((r) => r.text())
        .then((text) => {
          const gauge = (name: string) =>
            Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1] ?? NaN) / 2 ** 20;
          heap.push({
            t: (performance.now() - t0) / 1000,
            heapMiB: gauge('kestrel_process_heap_used_bytes'),
            externalMiB: gauge('kestrel_process_external_bytes'),
          });
        })
        .catch(() => undefined);
    }, 15_000);
    const [c, h] = await Promise.all([
      load(
        server.base,
        8,
        seconds,
        (cl) => captureShot(jpeg, token(cl)),
        (s) => s === 201,
      ),
      load(
        server.base,
        8,
        seconds,
        (cl) => heartbeatShot(token(cl + 8)),
        (s) => s === 200,
      ),
    ]);
    clearInterval(heapTimer);
    const rss = await sampler.stop();
    // The alert job runs every 15 s: give it a few rounds to mail the last urgent captures.
    const urgentMails = () => mail.received.filter((m) => /urgent/i.test(m.subject)).length - mailedBefore;
    const ended = performance.now();
    while (urgentMails() < c.urgentOk && performance.now() - ended < 60_000) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return {
      rss,
      heap,
      captures: rate(c),
      heartbeats: rate(h),
      urgentStored: c.urgentOk,
      urgentMailed: urgentMails(),
      alertLagSeconds: (performance.now() - ended) / 1000,
      alertDelays: mail.received.flatMap((m) => {
        const id = /captures\/([\w-]+)/.exec(m.body)?.[1];
        const acked = id === undefined ? undefined : c.urgentAcks.get(id);
        return acked === undefined ? [] : [(m.at - acked) / 1000];
      }),
    };
  } finally {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function failures(r: LoadResult): string {
  return r.failed.size === 0 ? '0' : [...r.failed].map(([k, v]) => `${v}× ${k}`).join('; ');
}

/**
 * Ceilings are measured before, between and after the collector runs, and each run is compared with
 * the mean of the ceilings either side of it: on a shared machine the capacity available drifts.
 */
async function ceilings(jpegFile: string): Promise<{ sharp: Ceiling; bare: Ceiling }> {
  // The image step alone at as many images in flight as cores and at twice that: the better of the
  // two is the ceiling, whatever the collector itself uses.
  const tried = [];
  for (const parallel of CEILING_PARALLEL)
    tried.push(await sharpCeiling(jpegFile, parallel, SECONDS.sharpCeiling));
  const sharpC = tried.reduce((a, b) => (b.rate > a.rate ? b : a));
  const bare = await bareRouteCeiling(SECONDS.sharpCeiling);
  console.log(
    `  ceilings: sharp ${tried.map((t, i) => `${fmt(t.rate)} images/s with ${CEILING_PARALLEL[i]} in flight`).join(', ')} ` +
      `(best: ${fmt(sharpC.cpuMs, 2)} ms CPU each), bare route ${fmt(bare.rate)} req/s (${fmt(bare.cpuMs * 1000)} µs CPU each)`,
  );
  return { sharp: sharpC, bare };
}

export async function run(): Promise<void> {
  const jpeg = await realisticJpeg();
  const work = await mkdtemp(join(tmpdir(), 'kestrel-bench-jpeg-'));
  const jpegFile = join(work, 'screen.jpg');
  await writeFile(jpegFile, jpeg);
  // Urgent alerts go to a real SMTP server, as in a school.
  const mail = await startTestSmtpServer();
  try {
    await measureAll(jpeg, jpegFile, mail);
  } finally {
    await mail.close();
    await rm(work, { recursive: true, force: true });
  }
}

async function measureAll(jpeg: Buffer, jpegFile: string, mail: MailSink): Promise<void> {
  console.log(
    `Screenshot: 1920×1080 JPEG, ${fmt(jpeg.length / 1024)} KiB; ${CAPTURE_CLIENTS} capture clients, ` +
      `${HEARTBEAT_CLIENTS} heartbeat clients, keep-alive, loopback. Capture ceiling: the collector's image ` +
      `step (header, decode, thumbnail) in its own process, the better of ${CEILING_PARALLEL.join(' and ')} images in flight, no HTTP or ` +
      `storage; MALLOC_ARENA_MAX ${ALLOCATOR_ENV['MALLOC_ARENA_MAX'] ?? 'unset'} in every process. Heartbeat ceiling: a bare Fastify ` +
      'route parsing the same JSON.',
  );
  const runs: CollectorResult[] = [];
  const brackets: { sharp: Ceiling; bare: Ceiling }[] = [await ceilings(jpegFile)];

  const sqlite = await collector('SQLite', { SMTP_URL: mail.url }, jpeg);
  brackets.push(await ceilings(jpegFile));
  runs.push(sqlite);
  if (await postgresReachable()) {
    const schema = `kestrel_bench_${randomBytes(4).toString('hex')}`;
    try {
      const pgResult = await collector(
        'PostgreSQL',
        { DATABASE_URL: PG_URL, DATABASE_SCHEMA: schema, SMTP_URL: mail.url },
        jpeg,
      );
      brackets.push(await ceilings(jpegFile));
      runs.push(pgResult);
    } finally {
      await dropSchema(schema);
    }
  } else {
    console.log(`PostgreSQL at ${PG_URL} unreachable: PostgreSQL rows skipped.`);
  }

  console.log(
    '\n| backend | captures/s | vs sharp ceiling | capture p50 / p95 ms | heartbeats/s | vs bare route | heartbeat p95 ms | server RSS start → max → end MiB | errors |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  runs.forEach((r, i) => {
    const b0 = brackets[i];
    const b1 = brackets[i + 1];
    const mean = (f: (c: { sharp: Ceiling; bare: Ceiling }) => number) =>
      ((b0 === undefined ? NaN : f(b0)) + (b1 === undefined ? NaN : f(b1))) / 2;
    const sharpCeil = mean((c) => c.sharp.rate);
    const bareCeil = mean((c) => c.bare.rate);
    const rssValues = r.rss.map((x) => x.mib).filter((m) => !Number.isNaN(m));
    console.log(
      `| ${r.name} | ${fmt(rate(r.captures))} | ${fmt((100 * rate(r.captures)) / sharpCeil)} % of ${fmt(sharpCeil)} | ` +
        `${fmt(percentile(r.captures.latenciesMs, 50), 1)} / ${fmt(percentile(r.captures.latenciesMs, 95), 1)} | ` +
        `${fmt(rate(r.heartbeats))} | ${fmt((100 * rate(r.heartbeats)) / bareCeil)} % of ${fmt(bareCeil)} | ` +
        `${fmt(percentile(r.heartbeats.latenciesMs, 95), 1)} | ` +
        `${fmt(rssValues[0] ?? NaN)} → ${fmt(Math.max(...rssValues))} → ${fmt(rssValues.at(-1) ?? NaN)} | ` +
        `${failures(r.captures)} / ${failures(r.heartbeats)} |`,
    );
  });

  console.log(
    '\nCPU cost per unit of work (independent of what else the machine runs):\n\n' +
      '| backend | collector CPU per capture | sharp-only CPU per image | efficiency | main thread busy (captures) | collector CPU per heartbeat | bare route CPU per request | efficiency |\n' +
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
  );
  runs.forEach((r, i) => {
    const b0 = brackets[i];
    const b1 = brackets[i + 1];
    const sharpCpu = ((b0?.sharp.cpuMs ?? NaN) + (b1?.sharp.cpuMs ?? NaN)) / 2;
    const bareCpu = ((b0?.bare.cpuMs ?? NaN) + (b1?.bare.cpuMs ?? NaN)) / 2;
    console.log(
      `| ${r.name} | ${fmt(r.cpuPerCapture, 2)} ms | ${fmt(sharpCpu, 2)} ms | ${fmt((100 * sharpCpu) / r.cpuPerCapture)} % | ` +
        `${fmt(100 * r.loopBusyCaptures)} % | ` +
        `${fmt(r.cpuPerHeartbeat * 1000)} µs | ${fmt(bareCpu * 1000)} µs | ${fmt((100 * bareCpu) / r.cpuPerHeartbeat)} % |`,
    );
  });

  if (SECONDS.soak > 0) {
    console.log(
      `\nMemory soak: ${SECONDS.soak} s of captures (8 clients) and heartbeats (8 clients) together on SQLite.`,
    );
    const s = await soak(jpeg, SECONDS.soak, mail);
    const at = (fraction: number) =>
      s.rss[Math.min(s.rss.length - 1, Math.floor(fraction * s.rss.length))]?.mib ?? NaN;
    console.log(`captures/s ${fmt(s.captures)}, heartbeats/s ${fmt(s.heartbeats)}`);
    console.log(
      `JS heap / external MiB every 15 s: ${s.heap.map((x) => `${fmt(x.heapMiB)}/${fmt(x.externalMiB)}`).join(', ')}`,
    );
    console.log(
      `server RSS MiB at 10% ${fmt(at(0.1))}, 25% ${fmt(at(0.25))}, 50% ${fmt(at(0.5))}, 75% ${fmt(at(0.75))}, ` +
        `end ${fmt(at(1))}, max ${fmt(Math.max(...s.rss.map((x) => x.mib)))}`,
    );
    console.log(
      `urgent captures stored ${fmt(s.urgentStored)} (1 in ${URGENT_EVERY}), urgent alert e-mails received ` +
        `${fmt(s.urgentMailed)}, the last ${fmt(s.alertLagSeconds, 1)} s after the load ended; from a capture's ` +
        `201 to its e-mail: median ${fmt(percentile(s.alertDelays, 50), 1)} s, p95 ${fmt(percentile(s.alertDelays, 95), 1)} s, ` +
        `max ${fmt(Math.max(...s.alertDelays), 1)} s`,
    );
  }
  console.log(`\nCPU pressure during the run (Linux PSI, "some" avg60): ${await cpuPressure()}`);
}

/** How contended the CPU was (other processes on a shared machine skew every figure). */
async function cpuPressure(): Promise<string> {
  const text = await readFile('/proc/pressure/cpu', 'utf8').catch(() => '');
  return /some avg10=\S+ avg60=(\S+)/.exec(text)?.[1] ?? 'unknown';
}
