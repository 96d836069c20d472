/**
 * Acceptance: the agent HTTP API, version 1 (CONTRACTS.md), against a started collector, over
 * real HTTP, with a plain client (fetch, FormData) as any agent implementation would use.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { heartbeatRequestSchema } from '@kestrel/shared/protocol';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Answer,
  captureMetadata,
  Client,
  type Collector,
  expectError,
  startCollector,
} from './support/collector.js';
import { cleanUp } from './support/processes.js';

afterAll(cleanUp);

const ADMIN = { email: 'dsl@school.example', password: 'acceptance admin password' };
const ENROLMENT_TOKEN = 'acceptance-enrolment-token-0001';

const MAX_BYTES = 200_000;
let collector: Collector;
let agent: Client;
let staff: Client;
let device: { deviceId: string; deviceToken: string };

beforeAll(async () => {
  collector = await startCollector({
    // Dozens of captures from one device in seconds: lift the per-device rate limit.
    DEVICE_CAPTURES_PER_MINUTE: '100000',
    SCREENSHOT_MAX_BYTES: String(MAX_BYTES),
    LOG_LEVEL: 'warn',
    BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
    BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
    ENROLMENT_TOKEN,
  });
  agent = new Client(collector.url);
  staff = new Client(collector.url);
  const session = await staff.signIn(ADMIN.email, ADMIN.password);
  if (session.status !== 200) throw new Error(`sign-in: ${session.status} ${session.text}`);
});

function image(format: 'jpeg' | 'png' | 'webp'): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 20, g: 120, b: 200 } } })
    .toFormat(format)
    .toBuffer();
}

/** Every capture the staff API lists (all statuses, all pages). */
async function allCaptures(): Promise<{ id: string; captureId: string }[]> {
  const out: { id: string; captureId: string }[] = [];
  let cursor: string | null | undefined;
  for (let page = 0; page < 100; page++) {
    const q = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const a = await staff.request('GET', `/api/v1/captures?limit=50${q}`);
    expect(a.status, a.text).toBe(200);
    const body = a.body as { items: { id: string; captureId: string }[]; nextCursor?: string | null };
    out.push(...body.items);
    cursor = body.nextCursor;
    if (!cursor) return out;
  }
  throw new Error('more than 100 pages');
}

describe('agent API v1', () => {
  it('POST /api/v1/enrol: 201 {deviceId, deviceToken}', async () => {
    const a = await agent.request('POST', '/api/v1/enrol', {
      json: { enrolmentToken: ENROLMENT_TOKEN, hostname: 'LAB1-PC07', os: 'linux', agentVersion: '0.1.0' },
    });
    expect(a.status, a.text).toBe(201);
    expect(a.body).toEqual(
      expect.objectContaining({ deviceId: expect.any(String), deviceToken: expect.any(String) }),
    );
    device = a.body as typeof device;
    expect(device.deviceId.length).toBeGreaterThan(0);
    expect(device.deviceToken.length).toBeGreaterThan(0);
  });

  it('POST /api/v1/enrol refuses a wrong token and bad bodies with the error shape', async () => {
    expectError(
      await agent.request('POST', '/api/v1/enrol', {
        json: { enrolmentToken: 'not-the-token-at-all', hostname: 'PC', os: 'linux', agentVersion: '1' },
      }),
      'client',
    );
    expectError(
      await agent.request('POST', '/api/v1/enrol', {
        body: '{"enrolmentToken": ',
        headers: { 'content-type': 'application/json' },
      }),
      'client',
    );
    expectError(await agent.request('POST', '/api/v1/enrol', { json: { hostname: 'PC' } }), 'client');
    expectError(await agent.request('POST', '/api/v1/enrol', { json: [1, 2, 3] }), 'client');
  });

  it('POST /api/v1/captures: 201 {id} for jpeg, png and webp; the same captureId again: 200 {id}, no second copy', async () => {
    const before = await allCaptures();
    const posted: { captureId: string; id: string }[] = [];
    for (const [format, type] of [
      ['jpeg', 'image/jpeg'],
      ['png', 'image/png'],
      ['webp', 'image/webp'],
    ] as const) {
      const meta = captureMetadata({ machine: `PC-${format}` });
      const img = await image(format);
      const first = await agent.postCapture(device.deviceToken, meta, img, type);
      expect(first.status, `${format}: ${first.text}`).toBe(201);
      expect(first.body).toEqual(expect.objectContaining({ id: expect.any(String) }));
      const id = (first.body as { id: string }).id;
      const again = await agent.postCapture(device.deviceToken, meta, img, type);
      expect(again.status, `${format} again: ${again.text}`).toBe(200);
      expect(again.body).toEqual(expect.objectContaining({ id }));
      posted.push({ captureId: String(meta['captureId']), id });
    }
    const after = await allCaptures();
    expect(after.length).toBe(before.length + 3);
    for (const p of posted) {
      const copies = after.filter((c) => c.captureId === p.captureId);
      expect(copies.map((c) => c.id)).toEqual([p.id]);
    }
  });

  it('POST /api/v1/captures takes the parts in either order, and metadata as a JSON file part', async () => {
    const jpeg = await image('jpeg');
    const reversed = new FormData();
    reversed.append('screenshot', new Blob([jpeg], { type: 'image/jpeg' }), 'screen.jpg');
    reversed.append('metadata', JSON.stringify(captureMetadata()));
    const a = await agent.request('POST', '/api/v1/captures', {
      body: reversed,
      headers: { authorization: `Bearer ${device.deviceToken}` },
    });
    expect(a.status, a.text).toBe(201);
    const asFile = new FormData();
    asFile.append(
      'metadata',
      new Blob([JSON.stringify(captureMetadata())], { type: 'application/json' }),
      'metadata.json',
    );
    asFile.append('screenshot', new Blob([jpeg], { type: 'image/jpeg' }), 'screen.jpg');
    const b = await agent.request('POST', '/api/v1/captures', {
      body: asFile,
      headers: { authorization: `Bearer ${device.deviceToken}` },
    });
    expect(b.status, b.text).toBe(201);
  });

  it('POST /api/v1/captures: a retry with a re-encoded screenshot is still the same capture', async () => {
    const meta = captureMetadata();
    const first = await agent.postCapture(device.deviceToken, meta, await image('jpeg'));
    expect(first.status, first.text).toBe(201);
    const again = await agent.postCapture(device.deviceToken, meta, await image('png'), 'image/png');
    expect(again.status, again.text).toBe(200);
    expect((again.body as { id: string }).id).toBe((first.body as { id: string }).id);
  });

  it('POST /api/v1/captures: the same captureId sent concurrently is stored once', async () => {
    const meta = captureMetadata();
    const img = await image('webp');
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => agent.postCapture(device.deviceToken, meta, img, 'image/webp')),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses, answers.map((a) => a.text).join('\n')).toEqual([200, 200, 200, 200, 200, 201]);
    const ids = new Set(answers.map((a) => (a.body as { id: string }).id));
    expect(ids.size).toBe(1);
    const copies = (await allCaptures()).filter((c) => c.captureId === meta['captureId']);
    expect(copies.length).toBe(1);
  });

  it('POST /api/v1/captures: an upload cut off half-way stores nothing and harms nothing', async () => {
    const meta = captureMetadata();
    const jpeg = await image('jpeg');
    const boundary = 'acceptanceBoundary7d3f';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="metadata"\r\n\r\n${JSON.stringify(meta)}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="screenshot"; filename="s.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
    );
    const full = head.length + jpeg.length + `\r\n--${boundary}--\r\n`.length;
    const url = new URL(`${collector.url}/api/v1/captures`);
    await new Promise<void>((resolve) => {
      const socket = connect({ host: url.hostname, port: Number(url.port) }, () => {
        socket.write(
          `POST /api/v1/captures HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${device.deviceToken}\r\n` +
            `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${full}\r\n\r\n`,
        );
        socket.write(head);
        socket.write(jpeg.subarray(0, jpeg.length >> 1), () => {
          socket.destroy();
          resolve();
        });
      });
      socket.on('error', () => resolve());
    });
    // The server is still there, and a proper upload of the same capture is new (201), not a duplicate.
    expect((await agent.request('GET', '/healthz')).status).toBe(200);
    expect((await allCaptures()).filter((c) => c.captureId === meta['captureId'])).toEqual([]);
    const whole = await agent.postCapture(device.deviceToken, meta, jpeg);
    expect(whole.status, whole.text).toBe(201);
  });

  it('POST /api/v1/captures accepts every ISO 8601 offset form and the window-title source', async () => {
    const jpeg = await image('jpeg');
    for (const overrides of [
      { capturedAt: '2026-11-23T10:15:00Z' },
      { capturedAt: '2026-11-23T10:15:00.123-05:00' },
      { capturedAt: '2026-06-01T23:59:59+01:00', source: 'window-title' },
      {
        machine: 'SALLE-ÉLÈVE-03',
        user: 'zoë.o’brien',
        context: 'emoji 😀 and ünïcödé',
        windowTitle: '日本語 — Notepad',
      },
    ]) {
      const a = await agent.postCapture(device.deviceToken, captureMetadata(overrides), jpeg);
      expect(a.status, `${JSON.stringify(overrides)}: ${a.text}`).toBe(201);
    }
  });

  it('POST /api/v1/captures accepts metadata without the optional url', async () => {
    const meta = captureMetadata();
    delete meta['url'];
    const a = await agent.postCapture(device.deviceToken, meta, await image('jpeg'));
    expect(a.status, a.text).toBe(201);
  });

  it('POST /api/v1/captures refuses bad input with the error shape, storing nothing', async () => {
    const before = await allCaptures();
    const jpeg = await image('jpeg');
    const cases: [string, () => Promise<Answer>][] = [
      [
        'no token',
        () => agent.request('POST', '/api/v1/captures', { body: formOf(captureMetadata(), jpeg) }),
      ],
      ['bad token', () => agent.postCapture('not-a-device-token', captureMetadata(), jpeg)],
      ['metadata not JSON', () => agent.postCapture(device.deviceToken, '{"captureId": ', jpeg)],
      [
        'metadata missing fields',
        () => agent.postCapture(device.deviceToken, { captureId: randomUUID() }, jpeg),
      ],
      [
        'captureId not a UUID',
        () => agent.postCapture(device.deviceToken, captureMetadata({ captureId: 'x' }), jpeg),
      ],
      [
        'capturedAt without offset',
        () =>
          agent.postCapture(device.deviceToken, captureMetadata({ capturedAt: '2026-11-23T10:15:00' }), jpeg),
      ],
      [
        'unknown category',
        () => agent.postCapture(device.deviceToken, captureMetadata({ category: 'nope' }), jpeg),
      ],
      ['severity 9', () => agent.postCapture(device.deviceToken, captureMetadata({ severity: 9 }), jpeg)],
      ['no screenshot part', () => agent.postCapture(device.deviceToken, captureMetadata(), undefined)],
      [
        'no metadata part',
        () => {
          const form = new FormData();
          form.append('screenshot', new Blob([jpeg], { type: 'image/jpeg' }), 'screen');
          return agent.request('POST', '/api/v1/captures', {
            body: form,
            headers: { authorization: `Bearer ${device.deviceToken}` },
          });
        },
      ],
      [
        'a text file as screenshot',
        () =>
          agent.postCapture(device.deviceToken, captureMetadata(), Buffer.from('not an image'), 'text/plain'),
      ],
      [
        'non-image bytes declared image/png',
        () =>
          agent.postCapture(
            device.deviceToken,
            captureMetadata(),
            Buffer.from('GIF89a not a png'),
            'image/png',
          ),
      ],
      [
        'a truncated jpeg',
        () => agent.postCapture(device.deviceToken, captureMetadata(), jpeg.subarray(0, jpeg.length >> 1)),
      ],
      [
        'JSON instead of multipart',
        () =>
          agent.request('POST', '/api/v1/captures', {
            json: captureMetadata(),
            headers: { authorization: `Bearer ${device.deviceToken}` },
          }),
      ],
    ];
    for (const [label, send] of cases) {
      const a = await send();
      expect(a.status, `${label}: ${a.status} ${a.text}`).toBeGreaterThanOrEqual(400);
      expect(a.status, `${label}: ${a.status} ${a.text}`).toBeLessThan(500);
      expectError(a, 'client');
    }
    const auth = await agent.postCapture('not-a-device-token', captureMetadata(), jpeg);
    expect(auth.status).toBe(401);
    // Larger than SCREENSHOT_MAX_BYTES (set low for this collector): refused as an error too.
    const big = await sharp(randomBytes(400 * 300 * 3), { raw: { width: 400, height: 300, channels: 3 } })
      .png()
      .toBuffer();
    expect(big.length).toBeGreaterThan(MAX_BYTES);
    expectError(await agent.postCapture(device.deviceToken, captureMetadata(), big, 'image/png'), 'client');
    expect((await agent.request('GET', '/healthz')).status).toBe(200);
    expect((await allCaptures()).length).toBe(before.length);
    expect(collector.proc.running).toBe(true);
  });

  it('POST /api/v1/heartbeat: 200; bad token and bad body are errors', async () => {
    // The contract leaves `health` to the protocol schema: use a body that schema accepts.
    const body = {
      agentVersion: '0.1.0',
      lexiconVersion: '2026.11.1',
      queueLength: 0,
      health: {
        sources: { keyboard: { state: 'ok' }, window: { state: 'unavailable', detail: 'no display' } },
      },
    };
    expect(heartbeatRequestSchema.safeParse(body).success).toBe(true);
    const ok = await agent.request('POST', '/api/v1/heartbeat', {
      json: body,
      headers: { authorization: `Bearer ${device.deviceToken}` },
    });
    expect(ok.status, ok.text).toBe(200);
    expectError(await agent.request('POST', '/api/v1/heartbeat', { json: body }), 401);
    expectError(
      await agent.request('POST', '/api/v1/heartbeat', {
        json: body,
        headers: { authorization: 'Bearer nope' },
      }),
      401,
    );
    expectError(
      await agent.request('POST', '/api/v1/heartbeat', {
        body: '{oops',
        headers: { authorization: `Bearer ${device.deviceToken}`, 'content-type': 'application/json' },
      }),
      'client',
    );
    expectError(
      await agent.request('POST', '/api/v1/heartbeat', {
        json: { queueLength: 'many' },
        headers: { authorization: `Bearer ${device.deviceToken}` },
      }),
      'client',
    );
  });

  it('GET /api/v1/policy: 200 with ETag; 304 on If-None-Match', async () => {
    const auth = { authorization: `Bearer ${device.deviceToken}` };
    const a = await agent.request('GET', '/api/v1/policy', { headers: auth });
    expect(a.status, a.text).toBe(200);
    expect(a.body).toEqual(
      expect.objectContaining({ lexicon: expect.anything(), policy: expect.anything() }),
    );
    // The lexicon is a lexicon file (docs/lexicon.md), with entries to match.
    const lexicon = (a.body as { lexicon: { format?: string; version?: string; entries?: unknown[] } })
      .lexicon;
    expect(lexicon.format).toBe('kestrel-lexicon');
    expect(lexicon.version).toEqual(expect.any(String));
    expect(lexicon.entries?.length).toBeGreaterThan(0);
    const etag = a.headers.get('etag');
    expect(etag).toMatch(/^(W\/)?".+"$/);
    const b = await agent.request('GET', '/api/v1/policy', {
      headers: { ...auth, 'if-none-match': etag ?? '' },
    });
    expect(b.status).toBe(304);
    expect(b.text).toBe('');
    const c = await agent.request('GET', '/api/v1/policy', {
      headers: { ...auth, 'if-none-match': '"stale"' },
    });
    expect(c.status).toBe(200);
    expect(c.headers.get('etag')).toBe(etag);
    expectError(await agent.request('GET', '/api/v1/policy'), 401);
  });

  it('errors on unknown routes and methods have the same shape', async () => {
    expectError(await agent.request('GET', '/api/v1/no-such-thing'), 404);
    const a = await agent.request('DELETE', '/api/v1/enrol');
    expectError(a, 'client');
  });
});

function formOf(meta: unknown, img: Buffer): FormData {
  const form = new FormData();
  form.append('metadata', JSON.stringify(meta));
  form.append('screenshot', new Blob([img], { type: 'image/jpeg' }), 'screen');
  return form;
}
