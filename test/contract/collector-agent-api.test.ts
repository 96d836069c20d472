import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  backends,
  captureParts,
  enrol,
  type Harness,
  makeImage,
  metadata,
  postCapture,
  signIn,
  startCollector,
  storedFiles,
} from './collector-helpers.js';

describe.each(await backends())('agent API on $name', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startCollector(backend.env());
  });
  afterAll(async () => h.close());

  it('enrols a device with the enrolment token', async () => {
    const { deviceId, deviceToken } = await enrol(h.app);
    expect(deviceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(deviceToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const device = await h.storage.devices.get(deviceId);
    expect(device?.tokenHash).not.toContain(deviceToken);
  });

  it('refuses an unknown enrolment token', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/enrol',
      payload: { enrolmentToken: 'nope-nope-nope', hostname: 'x', os: 'linux', agentVersion: '1' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: { code: 'ENROLMENT_TOKEN_INVALID', message: expect.any(String) } });
  });

  it.each(['jpeg', 'png', 'webp'] as const)(
    'stores a %s capture and serves it back to staff',
    async (format) => {
      const { deviceToken } = await enrol(h.app);
      const image = await makeImage(format, 200, 120);
      const meta = metadata();
      const res = await postCapture(h.app, deviceToken, captureParts(meta, image, `image/${format}`));
      expect(res.statusCode).toBe(201);
      const { id } = res.json<{ id: string }>();

      const cookie = await signIn(h.app);
      const one = await h.app.inject({ method: 'GET', url: `/api/v1/captures/${id}`, headers: { cookie } });
      expect(one.statusCode).toBe(200);
      expect(one.json()).toMatchObject({ ...meta, id, status: 'unreviewed', width: 200, height: 120 });
      const shot = await h.app.inject({
        method: 'GET',
        url: one.json<{ screenshotUrl: string }>().screenshotUrl,
        headers: { cookie },
      });
      expect(shot.statusCode).toBe(200);
      expect(shot.headers['content-type']).toBe(`image/${format}`);
      expect(shot.headers['cache-control']).toBe('private, no-store');
      expect(shot.headers['x-content-type-options']).toBe('nosniff');
      expect(shot.rawPayload.equals(image)).toBe(true);
    },
  );

  it.each([
    ['a field with Content-Type application/json', { contentType: 'application/json' }],
    ['a file part (FormData with a Blob)', { filename: 'blob', contentType: 'application/json' }],
  ])('accepts metadata sent as %s', async (_name, shape) => {
    const { deviceToken } = await enrol(h.app);
    const meta = metadata();
    const image = await makeImage('jpeg');
    const res = await postCapture(h.app, deviceToken, [
      { name: 'metadata', data: JSON.stringify(meta), ...shape },
      { name: 'screenshot', data: image, filename: 'screen.jpg', contentType: 'image/jpeg' },
    ]);
    expect(res.statusCode).toBe(201);
    expect(await h.storage.captures.get(res.json<{ id: string }>().id)).toMatchObject(meta);
  });

  it('answers a resent captureId with 200 and the same id, storing nothing new', async () => {
    const { deviceToken } = await enrol(h.app);
    const parts = captureParts(metadata(), await makeImage('jpeg'));
    const first = await postCapture(h.app, deviceToken, parts);
    const before = await h.storage.captures.count();
    const files = (await storedFiles(h.dataDir)).length;
    const second = await postCapture(h.app, deviceToken, parts);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(200);
    expect(second.json()).toEqual(first.json());
    expect(await h.storage.captures.count()).toBe(before);
    expect((await storedFiles(h.dataDir)).length).toBe(files);
  });

  it('stores one capture when the same captureId arrives concurrently', async () => {
    const { deviceToken } = await enrol(h.app);
    const before = await h.storage.captures.count();
    const parts = captureParts(metadata(), await makeImage('png'), 'image/png');
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => postCapture(h.app, deviceToken, parts)),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.json<{ id: string }>().id)).size).toBe(1);
    expect(await h.storage.captures.count()).toBe(before + 1);
  });

  it('keeps the same captureId from two devices apart', async () => {
    const a = await enrol(h.app, 'A');
    const b = await enrol(h.app, 'B');
    const meta = metadata();
    const image = await makeImage('jpeg');
    const ra = await postCapture(h.app, a.deviceToken, captureParts(meta, image));
    const rb = await postCapture(h.app, b.deviceToken, captureParts(meta, image));
    expect([ra.statusCode, rb.statusCode]).toEqual([201, 201]);
    expect(ra.json<{ id: string }>().id).not.toBe(rb.json<{ id: string }>().id);
  });

  it('records a heartbeat as the latest device health', async () => {
    const { deviceId, deviceToken } = await enrol(h.app);
    const body = {
      agentVersion: '0.2.0',
      lexiconVersion: '2026.11.1',
      queueLength: 3,
      health: {
        sources: { keyboard: { state: 'ok' } },
        missingPermissions: [],
        evictions: 2,
        quarantined: 0,
        paused: false,
      },
    };
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/heartbeat',
      payload: body,
      headers: { authorization: `Bearer ${deviceToken}` },
    });
    expect(res.statusCode).toBe(200);
    const hb = await h.storage.heartbeats.latest(deviceId);
    expect(hb).toMatchObject({
      queueLength: 3,
      evictions: 2,
      lexiconVersion: '2026.11.1',
      agentVersion: '0.2.0',
    });
    expect((await h.storage.devices.get(deviceId))?.agentVersion).toBe('0.2.0');
  });

  it('reads the Bearer scheme name in any case, the token exactly', async () => {
    const { deviceToken } = await enrol(h.app);
    for (const scheme of ['bearer', 'BEARER', 'Bearer ']) {
      const ok = await h.app.inject({
        method: 'GET',
        url: '/api/v1/policy',
        headers: { authorization: `${scheme} ${deviceToken}` },
      });
      expect(ok.statusCode).toBe(200);
    }
    const swapped = deviceToken.replace(/[a-z]/, (c) => c.toUpperCase());
    if (swapped !== deviceToken) {
      const bad = await h.app.inject({
        method: 'GET',
        url: '/api/v1/policy',
        headers: { authorization: `Bearer ${swapped}` },
      });
      expect(bad.json().error.code).toBe('DEVICE_TOKEN_INVALID');
    }
  });

  it('serves the policy with a strong ETag and 304 when unchanged', async () => {
    const { deviceToken } = await enrol(h.app);
    const auth = { authorization: `Bearer ${deviceToken}` };
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/policy', headers: auth });
    expect(res.statusCode).toBe(200);
    const etag = res.headers.etag as string;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    const body = res.json<{
      policyVersion: string;
      policy: { heartbeatSeconds: number };
      lexicon: { format: string };
    }>();
    expect(`"${body.policyVersion}"`).toBe(etag);
    expect(body.lexicon.format).toBe('kestrel-lexicon');
    expect(body.policy.heartbeatSeconds).toBeGreaterThan(0);
    const again = await h.app.inject({
      method: 'GET',
      url: '/api/v1/policy',
      headers: { ...auth, 'if-none-match': etag },
    });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const other = await h.app.inject({
      method: 'GET',
      url: '/api/v1/policy',
      headers: { ...auth, 'if-none-match': '"stale"' },
    });
    expect(other.statusCode).toBe(200);
  });

  it('changes the ETag when the school publishes a new policy', async () => {
    const { deviceToken } = await enrol(h.app);
    const auth = { authorization: `Bearer ${deviceToken}` };
    const before = (await h.app.inject({ method: 'GET', url: '/api/v1/policy', headers: auth })).headers.etag;
    await h.storage.policies.put({
      schoolId: h.schoolId,
      policy: {
        paused: false,
        dedupeSeconds: 30,
        contextChars: 80,
        keyboardLayout: 'en-GB',
        heartbeatSeconds: 120,
        policyPollSeconds: 600,
        suppressedCategories: [],
      },
      lexicon: null,
      updatedAt: new Date().toISOString(),
      updatedBy: null,
    });
    const after = await h.app.inject({
      method: 'GET',
      url: '/api/v1/policy',
      headers: { ...auth, 'if-none-match': String(before) },
    });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(before);
    expect(after.json<{ policy: { dedupeSeconds: number } }>().policy.dedupeSeconds).toBe(30);
  });
});
