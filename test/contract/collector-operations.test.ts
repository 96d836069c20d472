import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SharpImageProcessor } from '../../collector-server/src/adapters/sharp-image-processor.js';
import { buildApp } from '../../collector-server/src/app.js';
import type { ImageProcessor } from '../../collector-server/src/ports/image-processor.js';
import {
  ADMIN,
  captureParts,
  ENROLMENT_TOKEN,
  enrol,
  type Harness,
  makeImage,
  metadata,
  multipart,
  postCapture,
  startCollector,
} from './collector-helpers.js';

describe('health, readiness, metrics, OpenAPI and headers', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startCollector();
  });
  afterAll(async () => h.close());

  it('answers liveness and readiness', async () => {
    expect((await h.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await h.app.inject('/readyz');
    expect([ready.statusCode, ready.json()]).toEqual([200, { status: 'ready' }]);
  });

  it('is not ready when the database does not answer', async () => {
    const broken = {
      ...h.storage,
      ping: async () => {
        throw new Error('connection refused');
      },
    };
    const app = await buildApp(h.config, { storage: broken });
    try {
      const res = await app.inject('/readyz');
      expect(res.statusCode).toBe(503);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('NOT_READY');
    } finally {
      await app.close();
    }
  });

  it('counts captures by category, duplicates, rejections and heartbeats', async () => {
    const { deviceToken } = await enrol(h.app);
    const parts = captureParts(metadata({ category: 'gambling', severity: 2 }), await makeImage('jpeg'));
    await postCapture(h.app, deviceToken, parts);
    await postCapture(h.app, deviceToken, parts);
    await postCapture(h.app, undefined, parts);
    await h.app.inject({
      method: 'POST',
      url: '/api/v1/heartbeat',
      headers: { authorization: `Bearer ${deviceToken}` },
      payload: { agentVersion: '1', lexiconVersion: '1', queueLength: 0, health: { sources: {} } },
    });
    const res = await h.app.inject('/metrics');
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.body;
    expect(text).toContain('kestrel_captures_received_total{category="gambling"} 1');
    expect(text).toContain('kestrel_captures_duplicate_total 1');
    expect(text).toContain('kestrel_requests_rejected_total{code="DEVICE_TOKEN_MISSING"} 1');
    expect(text).toContain('kestrel_heartbeats_total 1');
    expect(text).toMatch(
      /kestrel_http_request_duration_seconds_bucket\{method="POST",route="\/api\/v1\/captures",status="2xx",le="\+Inf"\} 2/,
    );
    expect(text).toMatch(/^kestrel_process_resident_memory_bytes \d+$/m);
    // The main thread has been busy (start-up, these requests) and counts up, never down.
    const busy = () => Number(/^kestrel_event_loop_busy_seconds_total ([\d.e-]+)$/m.exec(text)?.[1]);
    expect(busy()).toBeGreaterThan(0);
    const later = (await h.app.inject('/metrics')).body;
    expect(
      Number(/^kestrel_event_loop_busy_seconds_total ([\d.e-]+)$/m.exec(later)?.[1]),
    ).toBeGreaterThanOrEqual(busy());
  });

  it('describes the API in OpenAPI, generated from the shared schemas', async () => {
    const res = await h.app.inject('/api/v1/openapi.json');
    expect(res.statusCode).toBe(200);
    const doc = res.json<{
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    }>();
    expect(doc.openapi).toBe('3.0.3');
    for (const path of [
      '/api/v1/enrol',
      '/api/v1/captures',
      '/api/v1/heartbeat',
      '/api/v1/policy',
      '/api/v1/session',
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
    const capture = JSON.stringify(doc.paths['/api/v1/captures']);
    for (const field of ['captureId', 'capturedAt', 'windowTitle', 'self-harm', 'SCREENSHOT_INVALID']) {
      expect(capture).toContain(field);
    }
  });

  it('sends security headers on every answer, errors included', async () => {
    for (const url of ['/healthz', '/api/v1/nothing-here', '/api/v1/captures']) {
      const res = await h.app.inject(url);
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
      expect(res.headers['content-security-policy'], url).toContain("frame-ancestors 'none'");
    }
    expect((await h.app.inject('/api/v1/me')).headers['cache-control']).toBe('no-store');
  });
});

describe('logs', () => {
  it('never contain passwords, tokens or cookies', async () => {
    const lines: string[] = [];
    const h = await startCollector(
      { LOG_LEVEL: 'trace' },
      { logStream: { write: (line) => lines.push(line) } },
    );
    try {
      const { deviceToken } = await enrol(h.app);
      await h.app.inject({
        method: 'GET',
        url: '/api/v1/policy',
        headers: { authorization: `Bearer ${deviceToken}` },
      });
      const session = await h.app.inject({ method: 'POST', url: '/api/v1/session', payload: ADMIN });
      const cookie = String(session.headers['set-cookie']).split(';')[0] ?? '';
      await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
      await h.app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { email: ADMIN.email, password: 'wrong-secret-guess' },
      });
      const log = lines.join('');
      expect(lines.length).toBeGreaterThan(5);
      for (const secret of [
        deviceToken,
        ENROLMENT_TOKEN,
        ADMIN.password,
        'wrong-secret-guess',
        cookie.split('=')[1] ?? '',
      ]) {
        expect(secret.length).toBeGreaterThan(8);
        expect(log).not.toContain(secret);
      }
    } finally {
      await h.close();
    }
  });
});

describe('graceful shutdown', () => {
  it('finishes an upload in flight when closing, then stops listening', async () => {
    let reached!: () => void;
    const inHandler = new Promise<void>((resolve) => (reached = resolve));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const sharp = new SharpImageProcessor();
    // Holds the upload inside the collector until the shutdown has begun.
    const images: ImageProcessor = {
      async process(bytes, type, options) {
        reached();
        await held;
        return sharp.process(bytes, type, options);
      },
    };
    const h = await startCollector({}, { images });
    try {
      const { deviceToken } = await enrol(h.app);
      const url = await h.app.listen({ port: 0, host: '127.0.0.1' });
      const { payload, headers } = multipart(captureParts(metadata(), await makeImage('jpeg')));
      const upload = fetch(`${url}/api/v1/captures`, {
        method: 'POST',
        headers: { ...headers, authorization: `Bearer ${deviceToken}` },
        body: payload,
      });
      await inHandler;
      const closing = h.app.close();
      release();
      const res = await upload;
      expect(res.status).toBe(201);
      await closing;
      expect(await h.storage.captures.count()).toBe(1);
      await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    } finally {
      release();
      await h.close();
    }
  });
});
