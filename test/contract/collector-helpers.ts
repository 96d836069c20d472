import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CaptureMetadata } from '@kestrel/shared/protocol';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { type AppDeps, buildApp } from '../../collector-server/src/app.js';
import { openStorage, type KyselyStorage } from '../../collector-server/src/adapters/storage.js';
import { type Config, testConfig } from '../../collector-server/src/config/config.js';
import { ensureFirstRun } from '../../collector-server/src/domain/first-run.js';
import { hashPassword, hashToken } from '../../collector-server/src/domain/secrets.js';
import type { Role } from '../../collector-server/src/ports/roles.js';
import { dropSchema, freshSchemaName, postgresUrl } from './storage-postgres.js';

export const ENROLMENT_TOKEN = 'test-enrolment-token-0123456789';
export const ADMIN = { email: 'admin@school.test', password: 'correct horse battery staple' };

/** A noisy image (realistic compressed size) of the given format. */
export async function makeImage(format: 'jpeg' | 'png' | 'webp', width = 64, height = 48): Promise<Buffer> {
  const raw = randomBytes(width * height * 3);
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .toFormat(format)
    .toBuffer();
}

export interface Part {
  name: string;
  data: string | Buffer;
  filename?: string;
  contentType?: string;
}

/** A multipart/form-data body built by hand, so tests control every byte (and can break them). */
export function multipart(parts: Part[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----kestrel${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`;
    if (p.filename !== undefined) head += `; filename="${p.filename}"`;
    head += '\r\n';
    if (p.contentType !== undefined) head += `Content-Type: ${p.contentType}\r\n`;
    chunks.push(
      Buffer.from(`${head}\r\n`),
      Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

export function metadata(overrides: Partial<CaptureMetadata> = {}): CaptureMetadata {
  return {
    captureId: randomUUID(),
    capturedAt: '2026-11-23T10:15:00+00:00',
    machine: 'LAB1-PC07',
    user: 'pupil07',
    source: 'typed',
    category: 'self-harm',
    severity: 4,
    term: 'hurt myself',
    context: 'i want to hurt myself tonight',
    windowTitle: 'Untitled - Notepad',
    application: 'notepad.exe',
    ...overrides,
  };
}

export function captureParts(meta: unknown, image: Buffer, contentType = 'image/jpeg'): Part[] {
  return [
    { name: 'metadata', data: typeof meta === 'string' ? meta : JSON.stringify(meta) },
    { name: 'screenshot', data: image, filename: 'screen', contentType },
  ];
}

export interface Harness {
  app: FastifyInstance;
  storage: KyselyStorage;
  config: Config;
  dataDir: string;
  schoolId: string;
  /** Rebuilds the app on the same data directory and database (restart). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A collector on a fresh temporary DATA_DIR (SQLite) or, with `env.DATABASE_URL`, on a PostgreSQL
 * schema, after the first run (one school, ADMIN, ENROLMENT_TOKEN).
 */
export async function startCollector(
  env: Record<string, string> = {},
  deps: Omit<AppDeps, 'storage'> = {},
): Promise<Harness> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kestrel-collector-'));
  const config = testConfig(dataDir, {
    ENROLMENT_TOKEN,
    BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
    BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
    ...env,
  });
  const clock = { now: () => new Date() };
  let storage = await openStorage(config.database);
  await ensureFirstRun({ storage, clock }, config.bootstrap);
  const school = (await storage.schools.list())[0];
  if (school === undefined) throw new Error('no school after first run');
  const harness: Harness = {
    app: await buildApp(config, { ...deps, storage }),
    storage,
    config,
    dataDir,
    schoolId: school.id,
    async restart() {
      await harness.app.close();
      await storage.close();
      storage = await openStorage(config.database);
      harness.storage = storage;
      harness.app = await buildApp(config, { ...deps, storage });
    },
    async close() {
      await harness.app.close();
      await storage.close();
      await rm(dataDir, { recursive: true, force: true });
      if (config.database.kind === 'postgres' && config.database.schema !== undefined) {
        await dropSchema(config.database.url, config.database.schema);
      }
    },
  };
  return harness;
}

export async function enrol(
  app: FastifyInstance,
  hostname = 'LAB1-PC07',
): Promise<{ deviceId: string; deviceToken: string }> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/enrol',
    payload: { enrolmentToken: ENROLMENT_TOKEN, hostname, os: 'windows 11', agentVersion: '0.1.0' },
  });
  if (res.statusCode !== 201) throw new Error(`enrol failed: ${res.statusCode} ${res.body}`);
  return res.json();
}

export function postCapture(
  app: FastifyInstance,
  deviceToken: string | undefined,
  parts: Part[],
  extraHeaders: Record<string, string> = {},
) {
  const { payload, headers } = multipart(parts);
  return app.inject({
    method: 'POST',
    url: '/api/v1/captures',
    payload,
    headers: {
      ...headers,
      ...(deviceToken === undefined ? {} : { authorization: `Bearer ${deviceToken}` }),
      ...extraHeaders,
    },
  });
}

export async function signIn(
  app: FastifyInstance,
  email = ADMIN.email,
  password = ADMIN.password,
): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'kestrel_session');
  if (cookie === undefined) throw new Error('no session cookie');
  return `kestrel_session=${cookie.value}`;
}

export async function addStaff(
  storage: KyselyStorage,
  email: string,
  password: string,
  memberships: { schoolId: string; role: Role }[],
): Promise<string> {
  const id = randomUUID();
  await storage.users.create({
    id,
    email,
    displayName: email,
    passwordHash: await hashPassword(password),
    createdAt: new Date().toISOString(),
    disabledAt: null,
  });
  for (const m of memberships) await storage.users.addMembership({ userId: id, ...m });
  return id;
}

/** A further school (Europe/London) with an enrolment token of its own; answers its id. */
export async function addSchool(
  storage: KyselyStorage,
  name: string,
  enrolmentToken: string,
): Promise<string> {
  const id = randomUUID();
  await storage.schools.create({ id, name, timeZone: 'Europe/London', createdAt: new Date().toISOString() });
  await storage.enrolmentTokens.create({
    id: randomUUID(),
    schoolId: id,
    tokenHash: hashToken(enrolmentToken),
    label: 'B',
    createdAt: new Date().toISOString(),
    expiresAt: null,
    revokedAt: null,
  });
  return id;
}

/** Every stored file under the screenshot store (hash names), for "nothing was stored" checks. */
export async function storedFiles(dataDir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isDirectory()) await walk(join(dir, e.name));
      else out.push(e.name);
    }
  };
  await walk(join(dataDir, 'screenshots'));
  return out;
}

export interface Backend {
  name: string;
  /** Environment for `startCollector`: a fresh PostgreSQL schema per call, or nothing (SQLite). */
  env(): Record<string, string>;
}

/** SQLite always; PostgreSQL when reachable (or required: then unreachable fails). */
export async function backends(): Promise<Backend[]> {
  const url = await postgresUrl();
  const list: Backend[] = [{ name: 'SQLite', env: () => ({}) }];
  if (url !== undefined) {
    list.push({ name: 'PostgreSQL', env: () => ({ DATABASE_URL: url, DATABASE_SCHEMA: freshSchemaName() }) });
  }
  return list;
}

/** The value, or a test failure naming what was missing. */
export function must<T>(value: T | undefined | null, what = 'value'): T {
  if (value === undefined || value === null) throw new Error(`expected a ${what}`);
  return value;
}
