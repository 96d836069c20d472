/**
 * The collector as `npm start` runs it (`node collector-server/dist/main.js` after the build), driven
 * only through its output and HTTP, plus a small client for the agent and staff APIs.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { expect } from 'vitest';
import { freePort, Proc, ROOT, tempDir } from './processes.js';

export const MAIN = join(ROOT, 'collector-server', 'dist', 'main.js');

/** The human-readable lines of the collector's stdout (pino's JSON log lines left out). */
export function humanLines(stdout: string): string[] {
  return stdout
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l !== '' && !l.startsWith('{'));
}

/** The JSON log lines of the collector's stdout. */
export function logLines(stdout: string): string[] {
  return stdout.split('\n').filter((l) => l.startsWith('{'));
}

export interface FirstRun {
  email: string;
  password: string;
  enrolmentToken: string;
}

/** The first admin and enrolment token as printed on a first run, or undefined parts when absent. */
export function parseFirstRun(stdout: string): Partial<FirstRun> {
  const lines = humanLines(stdout);
  const adminLine = lines.find((l) => /admin/i.test(l) && /@/.test(l));
  const email = adminLine === undefined ? undefined : /([^\s:]+@[^\s:]+)/.exec(adminLine)?.[1];
  const password = adminLine === undefined ? undefined : /password:?\s+(\S+)/i.exec(adminLine)?.[1];
  const tokenLine = lines.find((l) => /enrol?ment token/i.test(l));
  const enrolmentToken = tokenLine === undefined ? undefined : /:\s*(\S+)\s*$/.exec(tokenLine)?.[1];
  const out: Partial<FirstRun> = {};
  if (email !== undefined) out.email = email;
  if (password !== undefined) out.password = password;
  if (enrolmentToken !== undefined) out.enrolmentToken = enrolmentToken;
  return out;
}

export interface Collector {
  proc: Proc;
  /** The URL the collector printed. */
  url: string;
  port: number;
  dataDir: string | undefined;
}

/**
 * Starts the built collector with PORT (a free one unless given), DATA_DIR (a fresh temporary one
 * unless given) and `env`, and waits for the URL it prints.
 */
export async function startCollector(
  env: Record<string, string | undefined> = {},
  cwd?: string,
): Promise<Collector> {
  const port = env['PORT'] === undefined ? await freePort() : Number(env['PORT']);
  // DATA_DIR given as undefined: left unset, so the collector uses its default (./data).
  const dataDir = 'DATA_DIR' in env ? env['DATA_DIR'] : await tempDir('data');
  const proc = new Proc(process.execPath, [MAIN], {
    cleanEnv: true,
    env: { PORT: String(port), ...env, DATA_DIR: dataDir },
    ...(cwd === undefined ? {} : { cwd }),
  });
  const m = await proc.waitFor(/^[^{\n]*?(https?:\/\/[^\s]+)/m, 60_000);
  const url = (m[1] ?? '').replace(/\/+$/, '');
  return { proc, url, port, dataDir };
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: unknown;
}

async function answer(res: Response): Promise<Answer> {
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, text, body };
}

/** A plain HTTP client, as an agent or a script would use. */
export class Client {
  cookie: string | undefined;

  constructor(readonly url: string) {}

  async request(
    method: string,
    path: string,
    options: { json?: unknown; body?: FormData | string; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookie !== undefined) headers['cookie'] = this.cookie;
    let body = options.body;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    return answer(res);
  }

  /** `POST /api/v1/session`; keeps the session cookie for later requests. */
  async signIn(email: string, password: string): Promise<Answer> {
    const res = await fetch(`${this.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    const cookies = res.headers.getSetCookie();
    const pairs = cookies.map((c) => c.split(';')[0] ?? '').filter((c) => c !== '');
    if (pairs.length > 0) this.cookie = pairs.join('; ');
    return answer(res);
  }

  async enrol(
    enrolmentToken: string,
    hostname = 'LAB1-PC07',
  ): Promise<{ deviceId: string; deviceToken: string }> {
    const a = await this.request('POST', '/api/v1/enrol', {
      json: { enrolmentToken, hostname, os: 'linux', agentVersion: '0.1.0' },
    });
    if (a.status !== 201) throw new Error(`enrol: ${a.status} ${a.text}`);
    return a.body as { deviceId: string; deviceToken: string };
  }

  /** `POST /api/v1/captures` the way an agent does: a `metadata` field and a `screenshot` file. */
  postCapture(
    deviceToken: string,
    meta: unknown,
    image: Buffer | undefined,
    type = 'image/jpeg',
  ): Promise<Answer> {
    const form = new FormData();
    form.append('metadata', typeof meta === 'string' ? meta : JSON.stringify(meta));
    if (image !== undefined) form.append('screenshot', new Blob([image], { type }), 'screen');
    return this.request('POST', '/api/v1/captures', {
      body: form,
      headers: { authorization: `Bearer ${deviceToken}` },
    });
  }
}

/** Capture metadata as an agent sends it (CONTRACTS.md), with a fresh captureId. */
export function captureMetadata(overrides: Record<string, unknown> = {}): Record<string, unknown> {
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
    url: 'https://example.org/page',
    ...overrides,
  };
}

/** Asserts the contract's error shape: a 4xx (or 5xx where stated) and `{error: {code, message}}`. */
export function expectError(a: Answer, status: number | 'client'): void {
  if (status === 'client') {
    expect(a.status, a.text).toBeGreaterThanOrEqual(400);
    expect(a.status, a.text).toBeLessThan(500);
  } else {
    expect(a.status, a.text).toBe(status);
  }
  expect(a.body, a.text).toEqual({
    error: { code: expect.stringMatching(/^[A-Z][A-Z0-9_]*$/), message: expect.any(String) },
  });
  const { message } = (a.body as { error: { message: string } }).error;
  expect(message.length, a.text).toBeGreaterThan(0);
}
