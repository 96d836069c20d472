import { Readable } from 'node:stream';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  captureParts,
  ENROLMENT_TOKEN,
  enrol,
  type Harness,
  makeImage,
  metadata,
  multipart,
  must,
  postCapture,
  startCollector,
  storedFiles,
} from './collector-helpers.js';

const SMALL_LIMIT = 60_000;

/**
 * Hostile and broken requests: each is answered 4xx with its catalogue code, never 5xx, and leaves
 * no capture row and no file behind.
 */
describe('bad input on the agent API', () => {
  let h: Harness;
  let token: string;
  let jpeg: Buffer;

  beforeAll(async () => {
    h = await startCollector({ SCREENSHOT_MAX_BYTES: String(SMALL_LIMIT) });
    token = (await enrol(h.app)).deviceToken;
    jpeg = await makeImage('jpeg', 64, 48);
  });
  afterEach(async () => {
    expect(await h.storage.captures.count()).toBe(0);
    expect(await storedFiles(h.dataDir)).toEqual([]);
  });
  afterAll(async () => h.close());

  const expectError = (res: { statusCode: number; json: () => unknown }, status: number, code: string) => {
    expect(res.statusCode).toBe(status);
    expect(res.json()).toEqual({ error: { code, message: expect.any(String) } });
  };

  it('malformed JSON', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/enrol',
      headers: { 'content-type': 'application/json' },
      payload: '{"enrolmentToken": ',
    });
    expectError(res, 400, 'BAD_REQUEST');
  });

  it('an empty JSON body', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/heartbeat',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      payload: '',
    });
    expectError(res, 400, 'BAD_REQUEST');
  });

  it('prototype poisoning in JSON', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/enrol',
      headers: { 'content-type': 'application/json' },
      payload: '{"__proto__": {"admin": true}, "enrolmentToken": "x"}',
    });
    expectError(res, 400, 'BAD_REQUEST');
  });

  it('the wrong content type for JSON routes', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/enrol',
      headers: { 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('JSON where multipart is required', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/captures',
      headers: { authorization: `Bearer ${token}` },
      payload: { metadata: metadata() },
    });
    expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('a JSON body over the size limit', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/heartbeat',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      payload: JSON.stringify({ agentVersion: 'x'.repeat(300_000) }),
    });
    expectError(res, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('a missing metadata part', async () => {
    const res = await postCapture(h.app, token, [
      { name: 'screenshot', data: jpeg, filename: 's', contentType: 'image/jpeg' },
    ]);
    expectError(res, 400, 'MULTIPART_PART_MISSING');
  });

  it('a missing screenshot part', async () => {
    const res = await postCapture(h.app, token, [{ name: 'metadata', data: JSON.stringify(metadata()) }]);
    expectError(res, 400, 'MULTIPART_PART_MISSING');
  });

  it('an unexpected extra part', async () => {
    const res = await postCapture(h.app, token, [
      ...captureParts(metadata(), jpeg),
      { name: 'extra', data: 'x' },
    ]);
    expectError(res, 400, 'BAD_REQUEST');
  });

  it('two screenshot parts', async () => {
    const parts = captureParts(metadata(), jpeg);
    const res = await postCapture(h.app, token, [...parts, must(parts[1])]);
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(['BAD_REQUEST', 'PAYLOAD_TOO_LARGE']).toContain(
      res.json<{ error: { code: string } }>().error.code,
    );
  });

  it('a truncated multipart body', async () => {
    const { payload, headers } = multipart(captureParts(metadata(), jpeg));
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/captures',
      headers: { ...headers, authorization: `Bearer ${token}` },
      payload: payload.subarray(0, payload.length - 200),
    });
    expectError(res, 400, 'BAD_REQUEST');
  });

  it('metadata that is not JSON', async () => {
    const res = await postCapture(h.app, token, captureParts('{not json', jpeg));
    expectError(res, 400, 'BAD_REQUEST');
  });

  it.each([
    ['an unknown category', { category: 'nonsense' }, 'metadata.category'],
    ['a severity out of range', { severity: 9 }, 'metadata.severity'],
    ['a timestamp without offset', { capturedAt: '2026-11-23T10:15:00' }, 'metadata.capturedAt'],
    ['a captureId that is not a UUID', { captureId: '../../etc/passwd' }, 'metadata.captureId'],
    ['a NUL byte in the user', { user: 'pupil\u0000admin' }, 'metadata.user'],
    ['a title over its limit', { windowTitle: 'x'.repeat(1025) }, 'metadata.windowTitle'],
    ['an unknown field', { extra: 1 }, 'metadata'],
  ])('metadata with %s', async (_name, overrides, field) => {
    const res = await postCapture(h.app, token, captureParts({ ...metadata(), ...overrides }, jpeg));
    expectError(res, 400, 'VALIDATION_FAILED');
    expect(res.json<{ error: { message: string } }>().error.message).toContain(field);
  });

  it('metadata declared as JSON that is not', async () => {
    const res = await postCapture(h.app, token, [
      { name: 'metadata', data: '{broken', contentType: 'application/json' },
      { name: 'screenshot', data: jpeg, filename: 's', contentType: 'image/jpeg' },
    ]);
    expectError(res, 400, 'BAD_REQUEST');
  });

  it('a 100 KB window title', async () => {
    const res = await postCapture(
      h.app,
      token,
      captureParts({ ...metadata(), windowTitle: 't'.repeat(100_000) }, jpeg),
    );
    expectError(res, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('a screenshot that is not an image', async () => {
    const res = await postCapture(
      h.app,
      token,
      captureParts(metadata(), Buffer.from('<html><script>alert(1)</script>')),
    );
    expectError(res, 422, 'SCREENSHOT_INVALID');
  });

  it('an empty screenshot', async () => {
    const res = await postCapture(h.app, token, captureParts(metadata(), Buffer.alloc(0)));
    expectError(res, 422, 'SCREENSHOT_INVALID');
  });

  it('an image whose content type lies', async () => {
    const png = await makeImage('png');
    const res = await postCapture(h.app, token, captureParts(metadata(), png, 'image/jpeg'));
    expectError(res, 422, 'SCREENSHOT_INVALID');
  });

  it('a truncated JPEG', async () => {
    const big = await makeImage('jpeg', 160, 120);
    const res = await postCapture(
      h.app,
      token,
      captureParts(metadata(), big.subarray(0, Math.floor(big.length / 2))),
    );
    expectError(res, 422, 'SCREENSHOT_INVALID');
  });

  it('a screenshot type that is not accepted', async () => {
    const res = await postCapture(h.app, token, captureParts(metadata(), jpeg, 'text/html'));
    expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('a screenshot over the byte limit', async () => {
    const big = await makeImage('png', 200, 200);
    expect(big.length).toBeGreaterThan(SMALL_LIMIT);
    const res = await postCapture(h.app, token, captureParts(metadata(), big, 'image/png'));
    expectError(res, 413, 'SCREENSHOT_TOO_LARGE');
  });

  it('an upload far over what a screenshot needs, refused without storing it', async () => {
    const huge = Buffer.alloc(SMALL_LIMIT * 10, 0xff);
    const res = await postCapture(h.app, token, captureParts(metadata(), huge, 'image/png'));
    expectError(res, 413, 'SCREENSHOT_TOO_LARGE');
  });

  it('an oversized upload over a real connection: read to its end and answered 413, not cut off', async () => {
    const address = await h.app.listen({ port: 0, host: '127.0.0.1' });
    const { payload, headers } = multipart(
      captureParts(metadata(), Buffer.alloc(SMALL_LIMIT * 40, 0xff), 'image/png'),
    );
    for (const declared of [true, false]) {
      // With Content-Length (refused at once) and chunked (refused once the limit is passed).
      const body = declared ? payload : Readable.from([payload.subarray(0, 1000), payload.subarray(1000)]);
      const res = await fetch(`${address}/api/v1/captures`, {
        method: 'POST',
        headers: { ...headers, authorization: `Bearer ${token}` },
        body,
        ...(declared ? {} : { duplex: 'half' }),
      } as RequestInit);
      expect(res.status).toBe(413);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('SCREENSHOT_TOO_LARGE');
    }
  });

  it('a body from an unknown device is never read', async () => {
    let read = 0;
    const { payload, headers } = multipart(captureParts(metadata(), jpeg));
    const body = new Readable({
      read() {
        read += 1;
        this.push(payload);
        this.push(null);
      },
    });
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/captures',
      headers: { ...headers, authorization: 'Bearer not-a-real-token' },
      payload: body,
    });
    expectError(res, 401, 'DEVICE_TOKEN_INVALID');
    expect(read).toBe(0);
  });

  it('a screenshot over the pixel limit', async () => {
    // 20,000 pixels wide but a few KB: a decompression bomb in miniature.
    const wide = await sharp({ create: { width: 20_000, height: 2, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    const res = await postCapture(h.app, token, captureParts(metadata(), wide, 'image/png'));
    expectError(res, 413, 'SCREENSHOT_TOO_LARGE');
  });

  it('a hostile part file name is never used as a path', async () => {
    const parts = captureParts(metadata(), Buffer.from('not an image'));
    const hostile = [must(parts[0]), { ...must(parts[1]), filename: '../../../../tmp/kestrel-owned' }];
    const res = await postCapture(h.app, token, hostile);
    expectError(res, 422, 'SCREENSHOT_INVALID');
  });

  it('no device token', async () => {
    expectError(
      await postCapture(h.app, undefined, captureParts(metadata(), jpeg)),
      401,
      'DEVICE_TOKEN_MISSING',
    );
  });

  it.each([['Bearer not-a-real-token'], ['Basic dXNlcjpwYXNz'], ["Bearer ' OR 1=1 --"]])(
    'an unknown device token (%s)',
    async (authorization) => {
      const res = await postCapture(h.app, undefined, captureParts(metadata(), jpeg), { authorization });
      expectError(res, 401, 'DEVICE_TOKEN_INVALID');
    },
  );

  it('a revoked device', async () => {
    const d = await enrol(h.app, 'REVOKED-PC');
    await h.storage.devices.revoke(d.deviceId, new Date().toISOString());
    expectError(
      await postCapture(h.app, d.deviceToken, captureParts(metadata(), jpeg)),
      403,
      'DEVICE_REVOKED',
    );
    const policy = await h.app.inject({
      method: 'GET',
      url: '/api/v1/policy',
      headers: { authorization: `Bearer ${d.deviceToken}` },
    });
    expectError(policy, 403, 'DEVICE_REVOKED');
  });

  it('a revoked or expired enrolment token', async () => {
    const body = { hostname: 'x', os: 'linux', agentVersion: '1' };
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/enrol',
      payload: { ...body, enrolmentToken: "' OR ''='" },
    });
    expectError(res, 401, 'ENROLMENT_TOKEN_INVALID');
  });

  it('an unknown route', async () => {
    expectError(await h.app.inject({ method: 'GET', url: '/api/v1/../../etc/passwd' }), 404, 'NOT_FOUND');
  });
});

describe('hostile but valid captures are stored exactly', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startCollector();
  });
  afterAll(async () => h.close());

  it('keeps SQL metacharacters, markup and path segments as text', async () => {
    const { deviceToken } = await enrol(h.app);
    const meta = metadata({
      windowTitle: "Robert'); DROP TABLE captures;-- <img src=x onerror=alert(1)>",
      context: '../../../etc/passwd %00 \\x00 ${jndi:ldap://x}',
      url: 'javascript:alert(document.cookie)',
      user: '"; rm -rf / #',
    });
    const res = await postCapture(
      h.app,
      deviceToken,
      captureParts(meta, await makeImage('webp'), 'image/webp'),
    );
    expect(res.statusCode).toBe(201);
    const stored = await h.storage.captures.get(res.json<{ id: string }>().id);
    expect(stored).toMatchObject(meta);
    const files = await storedFiles(h.dataDir);
    expect(files).toHaveLength(2);
    expect(files.every((f) => /^[0-9a-f]{64}$/.test(f))).toBe(true);
  });
});

describe('per-device rate limits', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startCollector({ DEVICE_REQUESTS_PER_MINUTE: '4' });
  });
  afterAll(async () => h.close());

  it('answers 429 RATE_LIMITED with Retry-After once the burst is spent', async () => {
    const { deviceToken } = await enrol(h.app);
    const get = () =>
      h.app.inject({
        method: 'GET',
        url: '/api/v1/policy',
        headers: { authorization: `Bearer ${deviceToken}` },
      });
    expect((await get()).statusCode).toBe(200);
    const limited = await get();
    expect(limited.statusCode).toBe(429);
    expect(limited.json<{ error: { code: string } }>().error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Another device has its own bucket.
    const other = await enrol(h.app, 'OTHER');
    const res = await h.app.inject({
      method: 'GET',
      url: '/api/v1/policy',
      headers: { authorization: `Bearer ${other.deviceToken}` },
    });
    expect(res.statusCode).toBe(200);
  });
});

describe('per-address enrolment limits', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startCollector({
      ENROLMENTS_PER_MINUTE_PER_ADDRESS: '20', // a burst of 5
      ENROLMENT_FAILURES_PER_MINUTE_PER_ADDRESS: '3',
    });
  });
  afterAll(async () => h.close());

  const attempt = (remoteAddress: string, enrolmentToken: string) =>
    h.app.inject({
      method: 'POST',
      url: '/api/v1/enrol',
      remoteAddress,
      payload: { enrolmentToken, hostname: 'LAB-PC', os: 'windows 11', agentVersion: '0.1.0' },
    });

  it('stop token guessing from one address, without holding up another', async () => {
    for (let i = 0; i < 3; i++)
      expect((await attempt('203.0.113.7', `guess-${i}-xxxxxxxx`)).statusCode).toBe(401);
    // Even the right token waits now: the address has spent its refusals.
    const limited = await attempt('203.0.113.7', ENROLMENT_TOKEN);
    expect(limited.statusCode).toBe(429);
    expect(limited.json<{ error: { code: string } }>().error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await attempt('198.51.100.9', ENROLMENT_TOKEN)).statusCode).toBe(201);
  });

  it('let a lab behind one address enrol in a burst, then ask it to wait', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await attempt('192.0.2.44', ENROLMENT_TOKEN)).statusCode);
    expect(codes).toEqual([201, 201, 201, 201, 201, 429]);
  });
});
