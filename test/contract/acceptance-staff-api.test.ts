/**
 * Acceptance: the moderator/staff API (CONTRACTS.md) over real HTTP, as the first-run
 * administrator of a fresh collector (who, per the collector's docs, also holds the DSL role and
 * has no two-factor set up).
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  captureMetadata,
  Client,
  type Collector,
  expectError,
  parseFirstRun,
  startCollector,
} from './support/collector.js';
import { cleanUp } from './support/processes.js';
import { currentStep, totpCode } from './support/totp.js';

afterAll(cleanUp);

let collector: Collector;
let admin: { email: string; password: string };
let staff: Client;
let agent: Client;
let devices: { deviceId: string; deviceToken: string }[] = [];
const sent = new Map<string, Record<string, unknown>>();
const images = new Map<string, { bytes: Buffer; type: string }>();
const TOTAL = 23;

const METADATA_FIELDS = [
  'captureId',
  'capturedAt',
  'machine',
  'user',
  'source',
  'category',
  'severity',
  'term',
  'context',
  'windowTitle',
  'application',
];

interface Item extends Record<string, unknown> {
  id: string;
  captureId: string;
  status: string;
  screenshotUrl: string;
}

beforeAll(async () => {
  // Generated credentials, exactly as a new user gets them from `npm start`.
  // Many captures from two devices in seconds: lift the per-device rate limit (a documented setting).
  collector = await startCollector({ LOG_LEVEL: 'warn', DEVICE_CAPTURES_PER_MINUTE: '100000' });
  const printed = parseFirstRun(collector.proc.stdout);
  if (!printed.email || !printed.password || !printed.enrolmentToken) {
    throw new Error(`first run printed no credentials:\n${collector.proc.stdout}`);
  }
  admin = { email: printed.email, password: printed.password };
  agent = new Client(collector.url);
  devices = [
    await agent.enrol(printed.enrolmentToken, 'LAB2-PC01'),
    await agent.enrol(printed.enrolmentToken, 'LAB2-PC02'),
  ];
  const formats = [
    ['jpeg', 'image/jpeg'],
    ['png', 'image/png'],
    ['webp', 'image/webp'],
  ] as const;
  for (let i = 0; i < TOTAL; i++) {
    const [format, type] = formats[i % 3] ?? formats[0];
    const bytes = await sharp({
      create: { width: 32 + i, height: 24, channels: 3, background: { r: i * 10, g: 80, b: 160 } },
    })
      .toFormat(format)
      .toBuffer();
    const meta = captureMetadata({
      machine: i % 2 === 0 ? 'LAB2-PC01' : 'LAB2-PC02',
      // Distinct phrases and times: nothing here should be grouped away.
      term: `acceptance term ${i}`,
      context: `context with <b>markup</b> & "quotes" 😀 ünï number ${i}`,
      windowTitle: `مرحبا — 日本語 — window ${i}`,
      capturedAt: `2026-11-2${i % 3}T${String(10 + (i % 10)).padStart(2, '0')}:${String(i).padStart(2, '0')}:00+01:00`,
      severity: (i % 5) + 1,
      ...(i % 4 === 0 ? { url: undefined } : {}),
    });
    if (meta['url'] === undefined) delete meta['url'];
    const device = devices[i % 2] ?? devices[0];
    const a = await agent.postCapture(device?.deviceToken ?? '', meta, bytes, type);
    if (a.status !== 201) throw new Error(`capture ${i}: ${a.status} ${a.text}`);
    sent.set(String(meta['captureId']), meta);
    images.set(String(meta['captureId']), { bytes, type });
  }
  staff = new Client(collector.url);
}, 120_000);

async function page(client: Client, query: string): Promise<{ items: Item[]; nextCursor?: string | null }> {
  const a = await client.request('GET', `/api/v1/captures?${query}`);
  expect(a.status, a.text).toBe(200);
  expect(a.body).toEqual(expect.objectContaining({ items: expect.any(Array) }));
  return a.body as { items: Item[]; nextCursor?: string | null };
}

describe('staff API', () => {
  it('POST /api/v1/session {email, password}: 200 and a session cookie, for an admin without two-factor', async () => {
    const bad = await new Client(collector.url).signIn(admin.email, 'wrong password');
    expectError(bad, 401);
    const unknown = await new Client(collector.url).signIn('nobody@nowhere.example', 'wrong password');
    expectError(unknown, 401);

    const res = await fetch(`${collector.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(admin),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const cookies = res.headers.getSetCookie();
    expect(cookies.length).toBeGreaterThan(0);
    expect(cookies.some((c) => /HttpOnly/i.test(c))).toBe(true);
    const a = await staff.signIn(admin.email, admin.password);
    expect(a.status, a.text).toBe(200);
    expect(staff.cookie).toBeDefined();
  });

  it('GET /api/v1/captures without a session: 401 with the error shape', async () => {
    expectError(await new Client(collector.url).request('GET', '/api/v1/captures?status=unreviewed'), 401);
  });

  it('GET /api/v1/captures?status=unreviewed: every item carries the metadata, id, status and screenshotUrl', async () => {
    const { items } = await page(staff, `status=unreviewed&limit=${TOTAL}`);
    expect(items.length).toBe(TOTAL);
    for (const item of items) {
      const meta = sent.get(item.captureId);
      expect(meta, `unknown capture ${item.captureId}`).toBeDefined();
      if (meta === undefined) continue;
      expect(item.id).toEqual(expect.any(String));
      expect(item.status).toBe('unreviewed');
      for (const field of METADATA_FIELDS) {
        if (field === 'capturedAt') {
          // The same instant (an ISO 8601 text with an offset).
          expect(Date.parse(String(item[field])), field).toBe(Date.parse(String(meta[field])));
          expect(String(item[field])).toMatch(/(Z|[+-]\d{2}:\d{2})$/);
        } else {
          expect(item[field], field).toEqual(meta[field]);
        }
      }
      if (meta['url'] !== undefined) expect(item['url']).toBe(meta['url']);
      else expect(item['url'] ?? undefined).toBeUndefined();
      expect(item.screenshotUrl).toMatch(/^\/api\/v1\/\S+$/);
    }
  });

  it('screenshotUrl returns the image to signed-in staff, and 401/403 without the cookie', async () => {
    const { items } = await page(staff, 'status=unreviewed&limit=6');
    expect(items.length).toBe(6);
    for (const item of items) {
      const want = images.get(item.captureId);
      const withCookie = await fetch(`${collector.url}${item.screenshotUrl}`, {
        headers: { cookie: staff.cookie ?? '' },
      });
      expect(withCookie.status).toBe(200);
      const type = withCookie.headers.get('content-type') ?? '';
      expect(type).toMatch(/^image\/(jpeg|png|webp)/);
      const bytes = Buffer.from(await withCookie.arrayBuffer());
      const decoded = await sharp(bytes).metadata();
      expect({ width: decoded.width, height: decoded.height }).toEqual(
        await sharp(want?.bytes)
          .metadata()
          .then((m) => ({ width: m.width, height: m.height })),
      );

      const without = await fetch(`${collector.url}${item.screenshotUrl}`);
      expect([401, 403]).toContain(without.status);
      expect(without.headers.get('content-type') ?? '').not.toMatch(/^image\//);
      const forged = await fetch(`${collector.url}${item.screenshotUrl}`, {
        headers: { cookie: 'kestrel_session=forged' },
      });
      expect([401, 403]).toContain(forged.status);
    }
  });

  it('limit and a cursor page the whole list: no duplicates, no gaps', async () => {
    for (const limit of [1, 5, 7, TOTAL]) {
      const seen: string[] = [];
      let cursor: string | null | undefined;
      let pages = 0;
      do {
        const q = `status=unreviewed&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const body = await page(staff, q);
        expect(body.items.length, q).toBeLessThanOrEqual(limit);
        if (body.nextCursor) expect(body.items.length, q).toBe(limit);
        seen.push(...body.items.map((i) => i.id));
        cursor = body.nextCursor;
        pages++;
        expect(pages, 'pages').toBeLessThanOrEqual(TOTAL + 1);
      } while (cursor);
      expect(new Set(seen).size, `limit ${limit}`).toBe(seen.length);
      expect(seen.length, `limit ${limit}`).toBe(TOTAL);
    }
  });

  it('paging stays exact when captures share a timestamp and while new ones arrive', async () => {
    // Twelve more captures with one capturedAt, sent at once (their arrival times may tie too).
    const sameTime = '2026-11-23T12:00:00+00:00';
    const jpeg = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#000' } })
      .jpeg()
      .toBuffer();
    const posted = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        agent.postCapture(
          devices[i % 2]?.deviceToken ?? '',
          captureMetadata({ capturedAt: sameTime, term: `tie ${i}` }),
          jpeg,
        ),
      ),
    );
    for (const a of posted) expect(a.status, a.text).toBe(201);
    const expected = TOTAL + 12;
    for (const limit of [1, 2, 5]) {
      const seen: string[] = [];
      let cursor: string | null | undefined;
      let n = 0;
      do {
        const q = `status=unreviewed&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const body = await page(staff, q);
        seen.push(...body.items.map((i) => i.id));
        cursor = body.nextCursor;
        // A new capture arrives between pages, as it does while a moderator reads the list.
        if (n++ % 4 === 0) {
          const late = await agent.postCapture(
            devices[0]?.deviceToken ?? '',
            captureMetadata({ term: `late ${limit} ${n}` }),
            jpeg,
          );
          expect(late.status, late.text).toBe(201);
        }
        expect(n, 'pages').toBeLessThanOrEqual(200);
      } while (cursor);
      expect(new Set(seen).size, `limit ${limit}: duplicates`).toBe(seen.length);
      const all = new Set(seen);
      const before = await page(staff, `status=unreviewed&limit=200`);
      // Everything that existed when the walk began was seen.
      const originals = before.items.filter((i) => !String(i['term']).startsWith('late ')).map((i) => i.id);
      expect(originals.length).toBe(expected);
      for (const id of originals) expect(all.has(id), `limit ${limit}: missed ${id}`).toBe(true);
    }
  }, 60_000);

  it('a bad limit or cursor is a 4xx with the error shape, not a crash', async () => {
    for (const q of ['limit=-1', 'limit=abc', 'cursor=%00%ff-not-a-cursor', 'status=bogus']) {
      expectError(await staff.request('GET', `/api/v1/captures?${q}`), 'client');
    }
    expect((await staff.request('GET', '/healthz')).status).toBe(200);
  });

  it('after sign-out the cookie no longer works', async () => {
    const c = new Client(collector.url);
    expect((await c.signIn(admin.email, admin.password)).status).toBe(200);
    expect((await c.request('GET', '/api/v1/captures?status=unreviewed&limit=1')).status).toBe(200);
    const csrf = (await c.request('GET', '/api/v1/moderation/context')).body as
      { csrfToken?: string } | undefined;
    const out = await c.request('DELETE', '/api/v1/session', {
      headers: csrf?.csrfToken ? { 'x-csrf-token': csrf.csrfToken } : {},
    });
    expect([200, 204]).toContain(out.status);
    expectError(await c.request('GET', '/api/v1/captures?status=unreviewed&limit=1'), 401);
  });

  // Last: it turns two-factor on for the administrator.
  it('with two-factor on, POST /api/v1/session takes {email, password, totp}; status=unreviewed leaves out a dismissed capture', async () => {
    const c = new Client(collector.url);
    const first = await c.signIn(admin.email, admin.password);
    expect(first.status, first.text).toBe(200);
    const csrf = () =>
      c
        .request('GET', '/api/v1/moderation/context')
        .then((a) => String((a.body as { csrfToken?: string }).csrfToken));
    const enrolment = await c.request('POST', '/api/v1/me/totp/enrolment', {
      json: {},
      headers: { 'x-csrf-token': await csrf() },
    });
    expect(enrolment.status, enrolment.text).toBe(200);
    const secret = String((enrolment.body as { secret: string }).secret);
    const step = currentStep();
    const confirm = await c.request('POST', '/api/v1/me/totp/enrolment/confirm', {
      json: { code: totpCode(secret, step) },
      headers: { 'x-csrf-token': await csrf() },
    });
    expect(confirm.status, confirm.text).toBeLessThan(300);

    expectError(await new Client(collector.url).signIn(admin.email, admin.password), 401);
    const withCode = await fetch(`${collector.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...admin, totp: totpCode(secret, step + 1) }),
    });
    expect(withCode.status, await withCode.clone().text()).toBe(200);
    const t = new Client(collector.url);
    t.cookie = withCode.headers
      .getSetCookie()
      .map((x) => x.split(';')[0])
      .join('; ');

    const { items } = await page(t, `status=unreviewed&limit=200`);
    const target = items[0];
    expect(target).toBeDefined();
    const context = await t.request('GET', '/api/v1/moderation/context');
    const action = await t.request('POST', '/api/v1/moderation/actions', {
      json: { action: 'dismiss', captureIds: [target?.id] },
      headers: { 'x-csrf-token': String((context.body as { csrfToken?: string }).csrfToken) },
    });
    expect(action.status, action.text).toBe(200);
    const after = await page(t, `status=unreviewed&limit=200`);
    expect(after.items.map((i) => i.id)).not.toContain(target?.id);
    expect(after.items.length).toBe(items.length - 1);
    expect(after.items.every((i) => i.status === 'unreviewed')).toBe(true);
    const dismissed = await page(t, `status=dismissed&limit=200`);
    expect(dismissed.items.map((i) => [i.id, i.status])).toEqual([[target?.id, 'dismissed']]);

    // Illegal content: "save all evidence but do not view". Its screenshotUrl answers an error until
    // a member of staff records why they reveal it, then the image.
    const jpeg = await sharp({ create: { width: 24, height: 24, channels: 3, background: '#900' } })
      .jpeg()
      .toBuffer();
    const meta = captureMetadata({ category: 'illegal', severity: 5, term: 'acceptance illegal term' });
    const posted = await agent.postCapture(devices[0]?.deviceToken ?? '', meta, jpeg);
    expect(posted.status, posted.text).toBe(201);
    const listed = (await page(t, 'status=unreviewed&limit=200')).items.find(
      (i) => i.captureId === meta['captureId'],
    );
    expect(listed?.screenshotUrl).toMatch(/^\/api\/v1\//);
    const hidden = await t.request('GET', listed?.screenshotUrl ?? '');
    expectError(hidden, 403);
    const reveal = await t.request('POST', `/api/v1/captures/${listed?.id}/reveal`, {
      json: { reason: 'Acceptance test: checking the evidence is stored' },
      headers: { 'x-csrf-token': String((context.body as { csrfToken?: string }).csrfToken) },
    });
    expect(reveal.status, reveal.text).toBe(200);
    const shown = await fetch(`${collector.url}${listed?.screenshotUrl}`, {
      headers: { cookie: t.cookie ?? '' },
    });
    expect(shown.status).toBe(200);
    expect(shown.headers.get('content-type') ?? '').toMatch(/^image\//);
  });
});
