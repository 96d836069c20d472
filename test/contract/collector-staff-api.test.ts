import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../collector-server/src/domain/secrets.js';
import { csrfTokenFor } from '../../collector-server/src/domain/moderation/csrf.js';
import {
  addSchool,
  ADMIN,
  addStaff,
  backends,
  captureParts,
  enrol,
  type Harness,
  makeImage,
  metadata,
  must,
  postCapture,
  signIn,
  startCollector,
} from './collector-helpers.js';

const PASSWORD = 'a long enough password';

describe.each(await backends())('staff API on $name', (backend) => {
  let h: Harness;
  let schoolB: string;
  const idsA: string[] = [];
  let idB: string;
  let deviceA: string;

  beforeAll(async () => {
    h = await startCollector(backend.env());
    schoolB = await addSchool(h.storage, 'B School', 'school-b-enrolment-token');
    await addStaff(h.storage, 'mod.a@school.test', PASSWORD, [{ schoolId: h.schoolId, role: 'moderator' }]);
    await addStaff(h.storage, 'mod.b@school.test', PASSWORD, [{ schoolId: schoolB, role: 'moderator' }]);
    await addStaff(h.storage, 'la.team@county.test', PASSWORD, [
      { schoolId: h.schoolId, role: 'moderator' },
      { schoolId: schoolB, role: 'dsl' },
    ]);
    await addStaff(h.storage, 'governor@school.test', PASSWORD, [{ schoolId: h.schoolId, role: 'governor' }]);
    await addStaff(h.storage, 'tech@school.test', PASSWORD, [{ schoolId: h.schoolId, role: 'technician' }]);
    await addStaff(h.storage, 'admin.only@school.test', PASSWORD, [{ schoolId: h.schoolId, role: 'admin' }]);

    const a = await enrol(h.app, 'A-PC');
    deviceA = a.deviceId;
    const image = await makeImage('jpeg', 80, 60);
    for (let i = 0; i < 5; i++) {
      const res = await postCapture(
        h.app,
        a.deviceToken,
        captureParts(metadata({ term: `term ${i}` }), image),
      );
      idsA.push(res.json<{ id: string }>().id);
    }
    const b = await h.app.inject({
      method: 'POST',
      url: '/api/v1/enrol',
      payload: {
        enrolmentToken: 'school-b-enrolment-token',
        hostname: 'B-PC',
        os: 'macos',
        agentVersion: '1',
      },
    });
    const bToken = b.json<{ deviceToken: string }>().deviceToken;
    idB = (await postCapture(h.app, bToken, captureParts(metadata(), image))).json<{ id: string }>().id;
  });
  afterAll(async () => h.close());

  const list = (cookie: string, query = '') =>
    h.app.inject({ method: 'GET', url: `/api/v1/captures${query}`, headers: { cookie } });
  type Page = {
    items: { id: string; schoolId: string; screenshotUrl: string; thumbnailUrl: string; deviceId: string }[];
    nextCursor: string | null;
  };

  it('refuses a wrong password and an unknown email alike', async () => {
    for (const payload of [
      { email: ADMIN.email, password: 'wrong password' },
      { email: 'nobody@school.test', password: 'whatever' },
    ]) {
      const res = await h.app.inject({ method: 'POST', url: '/api/v1/session', payload });
      expect(res.statusCode).toBe(401);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('INVALID_CREDENTIALS');
      expect(res.headers['set-cookie']).toBeUndefined();
    }
  });

  it('sets an HttpOnly, SameSite=Strict session cookie and answers who is signed in', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: 'MOD.A@school.test', password: PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^kestrel_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).not.toContain('Secure'); // plain HTTP, COOKIE_SECURE=auto
    const cookie = setCookie.split(';')[0] ?? '';
    const me = await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    expect(me.json()).toMatchObject({
      user: { email: 'mod.a@school.test' },
      memberships: [{ schoolId: h.schoolId, role: 'moderator' }],
    });
  });

  it('requires a session', async () => {
    for (const url of [
      '/api/v1/me',
      '/api/v1/captures',
      `/api/v1/captures/${idB}`,
      `/api/v1/captures/${idB}/screenshot`,
    ]) {
      const res = await h.app.inject({ method: 'GET', url, headers: { cookie: 'kestrel_session=forged' } });
      expect(res.statusCode).toBe(401);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('UNAUTHENTICATED');
    }
  });

  it('refuses an expired session', async () => {
    const user = await h.storage.users.findByEmail('mod.a@school.test');
    await h.storage.sessions.create({
      idHash: hashToken('expired-session-token'),
      userId: must(user).id,
      createdAt: '2020-01-01T00:00:00.000Z',
      expiresAt: '2020-01-01T12:00:00.000Z',
      lastSeenAt: '2020-01-01T00:00:00.000Z',
    });
    const res = await list('kestrel_session=expired-session-token');
    expect(res.statusCode).toBe(401);
  });

  it("lists only the captures of the user's own schools, with the contract's fields", async () => {
    const page = (
      await list(await signIn(h.app, 'mod.a@school.test', PASSWORD), '?status=unreviewed')
    ).json<Page>();
    expect(page.items.map((i) => i.id).sort()).toEqual([...idsA].sort());
    const item = must(page.items[0]);
    expect(item).toMatchObject({
      status: 'unreviewed',
      schoolId: h.schoolId,
      deviceId: deviceA,
      machine: 'LAB1-PC07',
      category: 'self-harm',
    });
    expect(item.screenshotUrl).toBe(`/api/v1/captures/${item.id}/screenshot`);
    expect(item.thumbnailUrl).toBe(`/api/v1/captures/${item.id}/thumbnail`);

    const b = (await list(await signIn(h.app, 'mod.b@school.test', PASSWORD))).json<Page>();
    expect(b.items.map((i) => i.id)).toEqual([idB]);

    const la = await signIn(h.app, 'la.team@county.test', PASSWORD);
    expect((await list(la)).json<Page>().items).toHaveLength(6);
    expect((await list(la, `?schoolId=${schoolB}`)).json<Page>().items.map((i) => i.id)).toEqual([idB]);
  });

  it('pages with limit and cursor, without repeats or gaps', async () => {
    const cookie = await signIn(h.app, 'mod.a@school.test', PASSWORD);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = (
        await list(cookie, `?limit=2${cursor === null ? '' : `&cursor=${cursor}`}`)
      ).json<Page>();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen.sort()).toEqual([...idsA].sort());
  });

  it('validates the query', async () => {
    const cookie = await signIn(h.app, 'mod.a@school.test', PASSWORD);
    for (const q of [
      '?status=deleted',
      '?limit=0',
      '?limit=100000',
      '?cursor=%27%20OR%201%3D1',
      '?schoolId=../x',
    ]) {
      const res = await list(cookie, q);
      expect(res.statusCode, q).toBe(400);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('VALIDATION_FAILED');
    }
  });

  it.each(['governor@school.test', 'tech@school.test', 'admin.only@school.test'])(
    'never shows captures to %s',
    async (email) => {
      const cookie = await signIn(h.app, email, PASSWORD);
      for (const url of [
        '/api/v1/captures',
        `/api/v1/captures/${idsA[0]}`,
        `/api/v1/captures/${idsA[0]}/screenshot`,
        `/api/v1/captures/${idsA[0]}/thumbnail`,
      ]) {
        const res = await h.app.inject({ method: 'GET', url, headers: { cookie } });
        expect(res.statusCode, url).toBe(403);
        expect(res.json<{ error: { code: string } }>().error.code).toBe('FORBIDDEN');
      }
    },
  );

  it("hides another school's capture as not found", async () => {
    const cookie = await signIn(h.app, 'mod.b@school.test', PASSWORD);
    for (const suffix of ['', '/screenshot', '/thumbnail']) {
      const res = await h.app.inject({
        method: 'GET',
        url: `/api/v1/captures/${idsA[0]}${suffix}`,
        headers: { cookie },
      });
      expect(res.statusCode).toBe(404);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('NOT_FOUND');
    }
  });

  it('serves screenshot and thumbnail privately and audits each view', async () => {
    const cookie = await signIn(h.app, 'mod.a@school.test', PASSWORD);
    const user = await h.storage.users.findByEmail('mod.a@school.test');
    const id = must(idsA[1]);
    const shot = await h.app.inject({
      method: 'GET',
      url: `/api/v1/captures/${id}/screenshot`,
      headers: { cookie },
    });
    const thumb = await h.app.inject({
      method: 'GET',
      url: `/api/v1/captures/${id}/thumbnail`,
      headers: { cookie },
    });
    for (const res of [shot, thumb]) {
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('image/jpeg');
      expect(res.headers['cache-control']).toBe('private, no-store');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
    expect(thumb.rawPayload.length).toBeLessThan(shot.rawPayload.length * 4);
    const events = await h.storage.auditEvents.list({ schoolId: h.schoolId, limit: 1000 });
    const views = events
      .filter((e) => e.targetId === id && e.actorUserId === must(user).id)
      .map((e) => e.action);
    expect(views).toEqual(['capture.screenshot.viewed', 'capture.thumbnail.viewed']);
  });

  it('signs out: the session no longer works', async () => {
    const cookie = await signIn(h.app, 'mod.a@school.test', PASSWORD);
    // State-changing staff requests carry the session's CSRF token (docs/moderation.md).
    const csrf = csrfTokenFor(cookie.slice('kestrel_session='.length));
    const out = await h.app.inject({
      method: 'DELETE',
      url: '/api/v1/session',
      headers: { cookie, 'x-csrf-token': csrf },
    });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/kestrel_session=;/);
    expect((await list(cookie)).statusCode).toBe(401);
  });

  it('the first administrator can see captures (admin and DSL of the first school)', async () => {
    const page = (await list(await signIn(h.app))).json<Page>();
    expect(page.items.map((i) => i.id).sort()).toEqual([...idsA].sort());
  });

  it('keeps captures, screenshots and accounts across a restart', async () => {
    await h.restart();
    const cookie = await signIn(h.app, 'mod.a@school.test', PASSWORD);
    const page = (await list(cookie)).json<Page>();
    expect(page.items).toHaveLength(5);
    const shot = await h.app.inject({
      method: 'GET',
      url: must(page.items[0]).screenshotUrl,
      headers: { cookie },
    });
    expect(shot.statusCode).toBe(200);
  });
});

describe('cookie security setting', () => {
  it('marks the cookie Secure when COOKIE_SECURE=true', async () => {
    const h = await startCollector({ COOKIE_SECURE: 'true' });
    try {
      const res = await h.app.inject({ method: 'POST', url: '/api/v1/session', payload: ADMIN });
      expect(String(res.headers['set-cookie'])).toContain('Secure');
    } finally {
      await h.close();
    }
  });

  it('marks the cookie Secure behind a trusted TLS proxy', async () => {
    const h = await startCollector({ TRUST_PROXY: 'true' });
    try {
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: ADMIN,
        headers: { 'x-forwarded-proto': 'https' },
      });
      expect(String(res.headers['set-cookie'])).toContain('Secure');
    } finally {
      await h.close();
    }
  });
});
