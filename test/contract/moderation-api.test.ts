import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../collector-server/src/domain/moderation/totp.js';
import {
  addSchool,
  backends,
  captureParts,
  enrol,
  type Harness,
  makeImage,
  metadata,
  must,
  postCapture,
  startCollector,
} from './collector-helpers.js';
import {
  type Session,
  signInAs,
  staffWithTotp,
  type StaffUser,
  STAFF_PASSWORD,
} from './moderation-helpers.js';

interface Item {
  id: string;
  term: string;
  category: string;
  severity: number;
  status: string;
  hidden: boolean;
  thumbnailUrl: string | null;
  screenshotUrl: string;
  machine: string;
}
interface Row {
  groupKey: string;
  count: number;
  machineCount: number;
  capture: Item;
}
interface Page {
  items: Row[];
  nextCursor: string | null;
}

describe.each(await backends())('moderation API on $name', (backend) => {
  let h: Harness;
  let schoolB: string;
  let mod: StaffUser;
  let mod2: StaffUser;
  let dsl: StaffUser;
  let head: StaffUser;
  let governor: StaffUser;
  let modB: StaffUser;
  let s: Session;
  const burst: string[] = [];
  let critical: string;
  let older: string;
  let illegal: string;
  let otherSchool: string;
  let image: Buffer;

  const queue = async (session: Session, query = '') => session.call('GET', `/api/v1/queue${query}`);

  beforeAll(async () => {
    h = await startCollector({ ...backend.env(), DEVICE_CAPTURES_PER_MINUTE: '100000' });
    schoolB = await addSchool(h.storage, 'B School', 'school-b-token');
    mod = await staffWithTotp(h.storage, 'mod@a.test', [{ schoolId: h.schoolId, role: 'moderator' }]);
    mod2 = await staffWithTotp(h.storage, 'mod2@a.test', [{ schoolId: h.schoolId, role: 'moderator' }]);
    dsl = await staffWithTotp(h.storage, 'dsl@a.test', [{ schoolId: h.schoolId, role: 'dsl' }]);
    head = await staffWithTotp(h.storage, 'head@a.test', [{ schoolId: h.schoolId, role: 'headteacher' }]);
    governor = await staffWithTotp(
      h.storage,
      'gov@a.test',
      [{ schoolId: h.schoolId, role: 'governor' }],
      false,
    );
    modB = await staffWithTotp(h.storage, 'mod@b.test', [{ schoolId: schoolB, role: 'moderator' }]);

    image = await makeImage('jpeg', 120, 80);
    // A class of six raising the same phrase within minutes: one group.
    for (let i = 0; i < 6; i++) {
      const d = await enrol(h.app, `LAB2-PC0${i}`);
      const res = await postCapture(
        h.app,
        d.deviceToken,
        captureParts(
          metadata({
            machine: `LAB2-PC0${i}`,
            user: `pupil${i}`,
            category: 'drugs',
            severity: 2,
            term: 'cannabis',
            context: 'biology worksheet: effects of cannabis on the brain',
            capturedAt: `2026-11-23T09:0${i}:00+00:00`,
          }),
          image,
        ),
      );
      burst.push(res.json<{ id: string }>().id);
    }
    const lone = await enrol(h.app, 'LIB-PC01');
    const post = async (m: Parameters<typeof metadata>[0]) =>
      (
        await postCapture(
          h.app,
          lone.deviceToken,
          captureParts(metadata({ machine: 'LIB-PC01', ...m }), image),
        )
      ).json<{
        id: string;
      }>().id;
    critical = await post({
      category: 'suicide',
      severity: 5,
      term: 'kill myself',
      capturedAt: '2026-11-23T08:00:00+00:00',
    });
    older = await post({
      category: 'bullying',
      severity: 3,
      term: 'nobody likes you',
      capturedAt: '2026-11-22T08:00:00+00:00',
    });
    illegal = await post({
      category: 'illegal',
      severity: 5,
      term: 'illegal term',
      capturedAt: '2026-11-23T07:00:00+00:00',
    });
    const b = await h.app.inject({
      method: 'POST',
      url: '/api/v1/enrol',
      payload: { enrolmentToken: 'school-b-token', hostname: 'B-PC', os: 'macos', agentVersion: '1' },
    });
    otherSchool = (
      await postCapture(h.app, b.json<{ deviceToken: string }>().deviceToken, captureParts(metadata(), image))
    ).json<{ id: string }>().id;
    s = await signInAs(h.app, mod);
  });

  afterAll(async () => {
    await h.close();
  });

  describe('sign-in hardening', () => {
    it('asks for the second factor, refuses a wrong or replayed code, accepts the right one', async () => {
      const u = await staffWithTotp(h.storage, 'totp@a.test', [{ schoolId: h.schoolId, role: 'moderator' }]);
      const secret = must(u.secret);
      const signIn = (totp?: string) =>
        h.app.inject({
          method: 'POST',
          url: '/api/v1/session',
          payload: { email: u.email, password: STAFF_PASSWORD, ...(totp === undefined ? {} : { totp }) },
        });
      const none = await signIn();
      expect(none.statusCode).toBe(401);
      expect(none.json().error.code).toBe('TOTP_REQUIRED');
      expect(none.cookies).toHaveLength(0);
      const code = totpCode(secret, Date.now());
      const wrong = await signIn(code === '000000' ? '111111' : '000000');
      expect(wrong.json().error.code).toBe('TOTP_INVALID');
      const ok = await signIn(code);
      expect(ok.statusCode).toBe(200);
      expect(ok.json().csrfToken).toEqual(expect.any(String));
      const replay = await signIn(code);
      expect(replay.json().error.code).toBe('TOTP_INVALID');
    });

    it('locks an account after repeated failures, with Retry-After, even for the right password', async () => {
      const u = await staffWithTotp(
        h.storage,
        'lock@a.test',
        [{ schoolId: h.schoolId, role: 'moderator' }],
        false,
      );
      for (let i = 0; i < 5; i++) {
        const r = await h.app.inject({
          method: 'POST',
          url: '/api/v1/session',
          payload: { email: u.email, password: 'wrong password' },
        });
        expect(r.json().error.code).toBe('INVALID_CREDENTIALS');
      }
      const locked = await h.app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { email: u.email, password: STAFF_PASSWORD },
      });
      expect(locked.statusCode).toBe(429);
      expect(locked.json().error.code).toBe('ACCOUNT_LOCKED');
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    });

    it('refuses state changes without the CSRF token of the session', async () => {
      const other = await signInAs(h.app, mod2);
      const without = await h.app.inject({
        method: 'POST',
        url: '/api/v1/moderation/actions',
        headers: { cookie: s.cookie },
        payload: { action: 'review', captureIds: [older] },
      });
      expect(without.statusCode).toBe(403);
      expect(without.json().error.code).toBe('CSRF_FAILED');
      const wrongSession = await h.app.inject({
        method: 'POST',
        url: '/api/v1/moderation/actions',
        headers: { cookie: s.cookie, 'x-csrf-token': other.csrf },
        payload: { action: 'review', captureIds: [older] },
      });
      expect(wrongSession.json().error.code).toBe('CSRF_FAILED');
      const detail = await s.call('GET', `/api/v1/moderation/captures/${older}`);
      expect(detail.json().capture.status).toBe('unreviewed');
    });

    it('makes roles that see captures enrol a second factor, by QR code, before the queue opens', async () => {
      const u = await staffWithTotp(
        h.storage,
        'new@a.test',
        [{ schoolId: h.schoolId, role: 'moderator' }],
        false,
      );
      const session = await signInAs(h.app, u);
      const ctx = (await session.call('GET', '/api/v1/moderation/context')).json();
      expect(ctx.totp).toEqual({ enrolled: false, required: true });
      const blocked = await queue(session);
      expect(blocked.statusCode).toBe(403);
      expect(blocked.json().error.code).toBe('TOTP_ENROLMENT_REQUIRED');
      const start = await session.call('POST', '/api/v1/me/totp/enrolment', {});
      expect(start.statusCode).toBe(200);
      const { secret, qrDataUrl, otpauthUri } = start.json();
      expect(qrDataUrl).toMatch(/^data:image\/png;base64,/);
      expect(otpauthUri).toContain(`secret=${secret}`);
      const bad = await session.call('POST', '/api/v1/me/totp/enrolment/confirm', { code: '12345' });
      expect(bad.statusCode).toBe(400);
      const ok = await session.call('POST', '/api/v1/me/totp/enrolment/confirm', {
        code: totpCode(secret, Date.now()),
      });
      expect(ok.statusCode).toBe(204);
      expect((await queue(session)).statusCode).toBe(200);
      // From now on the code is required at sign-in.
      const again = await h.app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { email: u.email, password: STAFF_PASSWORD },
      });
      expect(again.json().error.code).toBe('TOTP_REQUIRED');

      // A session alone cannot move the second factor elsewhere: a code from the current one is needed.
      const restart = await session.call('POST', '/api/v1/me/totp/enrolment', {});
      const replacement = restart.json().secret as string;
      const withoutCurrent = await session.call('POST', '/api/v1/me/totp/enrolment/confirm', {
        code: totpCode(replacement, Date.now()),
      });
      expect(withoutCurrent.statusCode).toBe(401);
      expect(withoutCurrent.json().error.code).toBe('TOTP_REQUIRED');
      const wrongCurrent = await session.call('POST', '/api/v1/me/totp/enrolment/confirm', {
        code: totpCode(replacement, Date.now()),
        currentCode: totpCode(replacement, Date.now()),
      });
      expect(wrongCurrent.json().error.code).toBe('TOTP_INVALID');
      const replaced = await session.call('POST', '/api/v1/me/totp/enrolment/confirm', {
        code: totpCode(replacement, Date.now()),
        currentCode: totpCode(secret, Date.now() + 30_000),
      });
      expect(replaced.statusCode).toBe(204);
    });

    it('signs out everywhere: every session of the user ends', async () => {
      const u = await staffWithTotp(h.storage, 'everywhere@a.test', [
        { schoolId: h.schoolId, role: 'moderator' },
      ]);
      const first = await signInAs(h.app, u);
      const second = await signInAs(h.app, u);
      expect((await queue(first)).statusCode).toBe(200);
      const out = await second.call('POST', '/api/v1/session/revoke-all', {});
      expect(out.statusCode).toBe(200);
      expect(out.json().ended).toBeGreaterThanOrEqual(2);
      expect((await queue(first)).statusCode).toBe(401);
      expect((await queue(second)).statusCode).toBe(401);
    });
  });

  describe('queue', () => {
    it('shows critical first, then newest, and a burst of one phrase as one group', async () => {
      const page = (await queue(s)).json<Page>();
      const ids = page.items.map((r) => r.capture.id);
      expect(ids).not.toContain(otherSchool);
      expect(page.items[0]?.capture.severity).toBe(5);
      expect(ids.indexOf(critical)).toBeLessThan(ids.indexOf(illegal)); // same severity, newer first
      const group = must(page.items.find((r) => r.capture.term === 'cannabis'));
      expect(group.count).toBe(6);
      expect(group.machineCount).toBe(6);
      expect(page.items.filter((r) => r.capture.term === 'cannabis')).toHaveLength(1);
      const members = (await s.call('GET', `/api/v1/queue/groups/${group.groupKey}`)).json<{
        items: Item[];
      }>();
      expect(members.items.map((m) => m.id).sort()).toEqual([...burst].sort());
    });

    it('pages with a cursor without repeats and filters by category, severity, machine, user and search', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Page = (await queue(s, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json<Page>();
        seen.push(...page.items.map((r) => r.capture.id));
        cursor = page.nextCursor;
      } while (cursor !== null);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toHaveLength(4);
      const only = async (q: string) => (await queue(s, q)).json<Page>().items.map((r) => r.capture.id);
      expect(await only('?category=bullying')).toEqual([older]);
      expect(await only('?severity=5')).toEqual([critical, illegal]);
      expect((await only('?machine=lab2-pc03')).length).toBe(1);
      expect((await only('?user=pupil4')).length).toBe(1);
      expect(await only('?q=LIKES%20you')).toEqual([older]);
      expect(await only('?q=100%25')).toEqual([]);
      expect(await only('?from=2026-11-23&to=2026-11-23&category=bullying')).toEqual([]);
      expect((await queue(s, '?cursor=nonsense')).statusCode).toBe(400);
      expect((await queue(s, `?school=${schoolB}`)).json<Page>().items).toEqual([]);
    });

    it('answers 304 to the live-update poll until something changes', async () => {
      const first = await s.call('GET', '/api/v1/queue/head');
      const etag = must(first.headers.etag as string | undefined);
      const same = await h.app.inject({
        method: 'GET',
        url: '/api/v1/queue/head',
        headers: { cookie: s.cookie, 'if-none-match': etag },
      });
      expect(same.statusCode).toBe(304);
      const d = await enrol(h.app, 'LATE-PC');
      await postCapture(
        h.app,
        d.deviceToken,
        captureParts(
          metadata({ machine: 'LATE-PC', category: 'gambling', severity: 1, term: 'bet365' }),
          image,
        ),
      );
      const changed = await h.app.inject({
        method: 'GET',
        url: '/api/v1/queue/head',
        headers: { cookie: s.cookie, 'if-none-match': etag },
      });
      expect(changed.statusCode).toBe(200);
    });

    it('shows one capture in full with the pupil’s recent captures, and audits the view', async () => {
      const res = await s.call('GET', `/api/v1/moderation/captures/${critical}`);
      expect(res.statusCode).toBe(200);
      const d = res.json();
      expect(d.capture.term).toBe('kill myself');
      expect(d.capture.timeZone).toBe('Europe/London');
      expect(d.recent.map((r: Item) => r.id)).toEqual(expect.arrayContaining([older]));
      expect(d.canAct).toBe(true);
      const events = await h.storage.auditEvents.list({ action: 'capture.viewed', limit: 100 });
      expect(events.some((e) => e.targetId === critical)).toBe(true);
    });

    it('hides another school’s capture as not found, everywhere', async () => {
      expect((await s.call('GET', `/api/v1/moderation/captures/${otherSchool}`)).statusCode).toBe(404);
      const act = await s.call('POST', '/api/v1/moderation/actions', {
        action: 'dismiss',
        captureIds: [otherSchool],
      });
      expect(act.statusCode).toBe(404);
      expect((await s.call('POST', `/api/v1/captures/${otherSchool}/notes`, { text: 'x' })).statusCode).toBe(
        404,
      );
      const b = await signInAs(h.app, modB);
      expect((await b.call('GET', `/api/v1/moderation/captures/${critical}`)).statusCode).toBe(404);
    });

    it('lets headteachers read but not triage, and governors neither', async () => {
      const ht = await signInAs(h.app, head);
      expect((await queue(ht)).statusCode).toBe(200);
      expect((await ht.call('GET', `/api/v1/moderation/captures/${critical}`)).json().canAct).toBe(false);
      const act = await ht.call('POST', '/api/v1/moderation/actions', {
        action: 'dismiss',
        captureIds: [critical],
      });
      expect(act.statusCode).toBe(403);
      expect((await ht.call('POST', `/api/v1/captures/${critical}/notes`, { text: 'x' })).statusCode).toBe(
        403,
      );
      const gov = await signInAs(h.app, governor);
      expect((await queue(gov)).statusCode).toBe(403);
      expect((await gov.call('GET', `/api/v1/moderation/captures/${critical}`)).statusCode).toBe(403);
    });
  });

  describe('actions', () => {
    it('dismisses, undoes once, and records both in the audit log', async () => {
      const done = await s.call('POST', '/api/v1/moderation/actions', {
        action: 'dismiss',
        captureIds: [older],
      });
      expect(done.statusCode).toBe(200);
      const { actionId, affected } = done.json();
      expect(affected).toBe(1);
      expect((await queue(s, '?category=bullying')).json<Page>().items).toEqual([]);
      expect((await queue(s, '?category=bullying&status=dismissed')).json<Page>().items).toHaveLength(1);
      const other = await signInAs(h.app, dsl);
      expect((await other.call('POST', `/api/v1/moderation/actions/${actionId}/undo`, {})).statusCode).toBe(
        404,
      );
      const undo = await s.call('POST', `/api/v1/moderation/actions/${actionId}/undo`, {});
      expect(undo.json()).toEqual({ restored: 1 });
      expect((await s.call('POST', `/api/v1/moderation/actions/${actionId}/undo`, {})).statusCode).toBe(409);
      expect((await queue(s, '?category=bullying')).json<Page>().items).toHaveLength(1);
      const audit = await h.storage.auditEvents.list({ limit: 1000 });
      expect(audit.some((e) => e.action === 'captures.dismissed' && e.targetId === actionId)).toBe(true);
      expect(audit.some((e) => e.action === 'moderation.action.undone' && e.targetId === actionId)).toBe(
        true,
      );
    });

    it('dismisses a whole group in one action and stores a suggested exception', async () => {
      const group = must((await queue(s, '?category=drugs')).json<Page>().items[0]);
      const res = await s.call('POST', '/api/v1/moderation/actions', {
        action: 'dismiss',
        groupKeys: [group.groupKey],
        suggestException: 'cannabis in the biology scheme of work',
      });
      expect(res.json().affected).toBe(6);
      expect((await queue(s, '?category=drugs')).json<Page>().items).toEqual([]);
      const list = (
        await s.call('GET', `/api/v1/moderation/exception-suggestions?school=${h.schoolId}`)
      ).json();
      expect(list.items).toHaveLength(1);
      expect(list.items[0]).toMatchObject({
        term: 'cannabis',
        suggestion: 'cannabis in the biology scheme of work',
      });
      const undo = await s.call('POST', `/api/v1/moderation/actions/${res.json().actionId}/undo`, {});
      expect(undo.json().restored).toBe(6);
    });

    it('escalates only with a reason, records who and why, and keeps it with the DSL', async () => {
      const noReason = await s.call('POST', '/api/v1/moderation/actions', {
        action: 'escalate',
        captureIds: [critical],
      });
      expect(noReason.statusCode).toBe(400);
      const res = await s.call('POST', '/api/v1/moderation/actions', {
        action: 'escalate',
        captureIds: [critical],
        reason: 'Pupil states intent; needs DSL today',
      });
      expect(res.statusCode).toBe(200);
      const d = (await s.call('GET', `/api/v1/moderation/captures/${critical}`)).json();
      expect(d.capture.status).toBe('escalated');
      expect(d.history[0]).toMatchObject({
        action: 'escalate',
        actor: 'mod@a.test',
        reason: 'Pupil states intent; needs DSL today',
      });
      const byMod = await s.call('POST', '/api/v1/moderation/actions', {
        action: 'dismiss',
        captureIds: [critical],
      });
      expect(byMod.statusCode).toBe(403);
      const lead = await signInAs(h.app, dsl);
      const byDsl = await lead.call('POST', '/api/v1/moderation/actions', {
        action: 'review',
        captureIds: [critical],
      });
      expect(byDsl.statusCode).toBe(200);
    });

    it('acts on a selection of captures at once, and undoes it whole', async () => {
      const res = await s.call('POST', '/api/v1/moderation/actions', {
        action: 'review',
        captureIds: [older, burst[0]],
      });
      expect(res.json()).toMatchObject({ affected: 2, status: 'reviewed' });
      const reviewed = (await queue(s, '?status=reviewed')).json<Page>().items.map((r) => r.capture.id);
      expect(reviewed).toEqual(expect.arrayContaining([older, burst[0]]));
      const undo = await s.call('POST', `/api/v1/moderation/actions/${res.json().actionId}/undo`, {});
      expect(undo.json().restored).toBe(2);
    });

    it('adds notes shown with the capture', async () => {
      const res = await s.call('POST', `/api/v1/captures/${older}/notes`, { text: 'Spoke to form tutor' });
      expect(res.statusCode).toBe(201);
      expect((await s.call('POST', `/api/v1/captures/${older}/notes`, { text: '   ' })).statusCode).toBe(400);
      const d = (await s.call('GET', `/api/v1/moderation/captures/${older}`)).json();
      expect(d.notes.map((n: { text: string }) => n.text)).toEqual(['Spoke to form tutor']);
    });

    it('validates bodies', async () => {
      const bad = await s.call('POST', '/api/v1/moderation/actions', {
        action: 'delete',
        captureIds: [older],
      });
      expect(bad.statusCode).toBe(400);
      const nothing = await s.call('POST', '/api/v1/moderation/actions', { action: 'dismiss' });
      expect(nothing.statusCode).toBe(404);
      const unknown = await s.call('POST', '/api/v1/moderation/actions', {
        action: 'dismiss',
        captureIds: [randomUUID()],
      });
      expect(unknown.statusCode).toBe(404);
    });
  });

  describe('illegal-content captures', () => {
    it('are hidden, never thumbnailed, and revealed only with a recorded reason', async () => {
      const row = must((await queue(s, '?category=illegal')).json<Page>().items[0]);
      expect(row.capture.hidden).toBe(true);
      expect(row.capture.thumbnailUrl).toBeNull();
      expect(row.capture.screenshotUrl).toMatch(/\/blurred$/);
      const shot = await s.call('GET', `/api/v1/captures/${illegal}/screenshot`);
      expect(shot.statusCode).toBe(403);
      expect(shot.json().error.code).toBe('REVEAL_REQUIRED');
      expect((await s.call('GET', `/api/v1/captures/${illegal}/thumbnail`)).statusCode).toBe(403);
      const blurred = await s.call('GET', `/api/v1/captures/${illegal}/screenshot/blurred`);
      expect(blurred.statusCode).toBe(200);
      expect(blurred.headers['content-type']).toBe('image/png');
      expect(blurred.rawPayload.readUInt32BE(16)).toBe(24); // PNG width: too small to show anything
      expect((await s.call('POST', `/api/v1/captures/${illegal}/reveal`, { reason: '' })).statusCode).toBe(
        400,
      );
      expect(
        (
          await s.call('POST', `/api/v1/captures/${illegal}/reveal`, {
            reason: 'Confirming for police referral',
          })
        ).statusCode,
      ).toBe(200);
      expect((await s.call('GET', `/api/v1/captures/${illegal}/screenshot`)).statusCode).toBe(200);
      expect((await s.call('GET', `/api/v1/captures/${illegal}/thumbnail`)).statusCode).toBe(403);
      // Revealed for this moderator only.
      const other = await signInAs(h.app, dsl);
      expect((await other.call('GET', `/api/v1/captures/${illegal}/screenshot`)).statusCode).toBe(403);
      const audit = await h.storage.auditEvents.list({ action: 'capture.revealed', limit: 10 });
      expect(audit[0]?.details).toMatchObject({ reason: 'Confirming for police referral' });
    });
  });

  describe('web UI', () => {
    it('serves the shell and assets with a strict CSP and nothing else from the folder', async () => {
      const page = await h.app.inject({ method: 'GET', url: '/' });
      expect(page.statusCode).toBe(200);
      const csp = String(page.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(page.body).not.toMatch(/<script>(?!<\/script>)|style=/);
      const js = await h.app.inject({ method: 'GET', url: '/assets/app.js' });
      expect(js.statusCode).toBe(200);
      expect(js.headers['content-type']).toMatch(/javascript/);
      expect((await h.app.inject({ method: 'GET', url: '/assets/index.html' })).statusCode).toBe(404);
      expect((await h.app.inject({ method: 'GET', url: '/assets/..%2Fpackage.json' })).statusCode).toBe(404);
    });
  });
});
