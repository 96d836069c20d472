import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AxiosCollectorClient } from './axios-collector-client.js';

type Handler = (req: IncomingMessage, body: Buffer, res: ServerResponse) => void;

let server: Server | undefined;
afterEach(async () => {
  const s = server;
  server = undefined;
  if (s) await new Promise((resolve) => s.close(resolve));
});

async function collector(handler: Handler): Promise<AxiosCollectorClient> {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, Buffer.concat(chunks), res));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return new AxiosCollectorClient({ server: `http://127.0.0.1:${port}/` });
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

const metadata = {
  captureId: '00000000-0000-4000-8000-000000000001',
  capturedAt: '2026-06-15T10:00:00.000+01:00',
  machine: 'LAB-PC-07',
  user: 'pupil.one',
  source: 'typed' as const,
  category: 'suicide' as const,
  severity: 5,
  term: 'kill myself',
  context: 'i want to kill myself',
  windowTitle: 'Homework notes',
  application: 'Notes',
};

describe('collector client', () => {
  it('uploads metadata and screenshot as multipart with the device token; 200 means already delivered', async () => {
    const seen: { auth?: string; body: string; type?: string }[] = [];
    let count = 0;
    const client = await collector((req, body, res) => {
      seen.push({
        auth: req.headers.authorization,
        body: body.toString('latin1'),
        type: req.headers['content-type'],
      });
      json(res, count++ === 0 ? 201 : 200, { id: 'c1' });
    });
    const shot = {
      bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xe0]),
      mediaType: 'image/jpeg' as const,
      width: 1,
      height: 1,
    };
    expect(await client.uploadCapture('tok', metadata, shot)).toEqual({
      ok: true,
      value: { id: 'c1', duplicate: false },
    });
    expect(await client.uploadCapture('tok', metadata, shot)).toEqual({
      ok: true,
      value: { id: 'c1', duplicate: true },
    });
    expect(seen[0]?.auth).toBe('Bearer tok');
    expect(seen[0]?.type).toMatch(/^multipart\/form-data; boundary=/);
    expect(seen[0]?.body).toContain('name="metadata"');
    expect(seen[0]?.body).toContain(JSON.stringify(metadata));
    expect(seen[0]?.body).toMatch(/name="screenshot"; filename="[^"]+\.jpeg"\r\nContent-Type: image\/jpeg/);
  });

  it('sends a placeholder picture when there is no screenshot (the API requires the part)', async () => {
    let body = '';
    const client = await collector((_req, b, res) => {
      body = b.toString('latin1');
      json(res, 201, { id: 'c1' });
    });
    expect((await client.uploadCapture('tok', metadata, undefined)).ok).toBe(true);
    expect(body).toMatch(/name="screenshot"; filename="[^"]+\.png"\r\nContent-Type: image\/png/);
  });

  it('maps answers to what the agent does next', async () => {
    const answers: [number, unknown, Record<string, string>?][] = [
      [401, { error: { code: 'DEVICE_TOKEN_INVALID', message: 'unknown' } }],
      [403, { error: { code: 'DEVICE_REVOKED', message: 'revoked' } }],
      [422, { error: { code: 'SCREENSHOT_INVALID', message: 'bad' } }],
      [503, { error: { code: 'NOT_READY', message: 'later' } }, { 'retry-after': '7' }],
      [201, { unexpected: true }],
    ];
    const client = await collector((_req, _b, res) => {
      const [status, body, headers] = answers.shift() ?? [500, {}];
      json(res, status, body, headers);
    });
    const failure = async () => {
      const r = await client.uploadCapture('tok', metadata, undefined);
      return r.ok ? undefined : r.failure;
    };
    expect(await failure()).toMatchObject({
      kind: 'unauthorized',
      status: 401,
      code: 'DEVICE_TOKEN_INVALID',
    });
    expect(await failure()).toMatchObject({ kind: 'unauthorized', status: 403, code: 'DEVICE_REVOKED' });
    expect(await failure()).toMatchObject({ kind: 'rejected', status: 422, code: 'SCREENSHOT_INVALID' });
    expect(await failure()).toMatchObject({ kind: 'server', status: 503, retryAfterMs: 7000 });
    // A 201 without a valid body is not taken as delivered: it is sent again (and answered 200).
    expect(await failure()).toMatchObject({ kind: 'server', status: 201 });
  });

  it('reports no answer at all as offline', async () => {
    const client = new AxiosCollectorClient({ server: 'http://127.0.0.1:9', timeoutMs: 2000 });
    const r = await client.heartbeat('tok', {
      agentVersion: '1',
      lexiconVersion: '1',
      queueLength: 0,
      health: { sources: {}, missingPermissions: [], evictions: 0, quarantined: 0, paused: false },
    });
    expect(r).toMatchObject({ ok: false, failure: { kind: 'offline' } });
  });

  it('fetches the policy with If-None-Match and understands 304', async () => {
    const policy = {
      policyVersion: 'p1',
      policy: {},
      lexicon: { format: 'kestrel-lexicon', formatVersion: 1, name: 'x', version: 'l1', entries: [] },
    };
    const client = await collector((req, _b, res) => {
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304, { etag: '"v1"' });
        res.end();
      } else json(res, 200, policy, { etag: '"v1"' });
    });
    const first = await client.fetchPolicy('tok', undefined);
    expect(first).toMatchObject({
      ok: true,
      value: { changed: true, etag: '"v1"', policy: { policyVersion: 'p1' } },
    });
    // Defaults filled in by the shared schema.
    expect(first.ok && first.value.changed && first.value.policy.policy.dedupeSeconds).toBe(60);
    expect(await client.fetchPolicy('tok', '"v1"')).toEqual({ ok: true, value: { changed: false } });
  });

  it('enrols', async () => {
    const client = await collector((_req, body, res) => {
      expect(JSON.parse(body.toString())).toMatchObject({ enrolmentToken: 'e', hostname: 'h' });
      json(res, 201, { deviceId: 'd1', deviceToken: 't1' });
    });
    expect(
      await client.enrol({ enrolmentToken: 'e', hostname: 'h', os: 'linux', agentVersion: '1' }),
    ).toEqual({
      ok: true,
      value: { deviceId: 'd1', deviceToken: 't1' },
    });
  });
});
