import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Action } from '../../collector-server/src/domain/authz/actions.js';
import { can, canAnywhere } from '../../collector-server/src/domain/authz/policy.js';
import type { Subject } from '../../collector-server/src/domain/authz/policy.js';
import { ROUTE_GROUPS } from '../../collector-server/src/http/routes.js';
import type { Role } from '../../collector-server/src/ports/roles.js';
import { enrol } from './collector-helpers.js';
import { type WorkflowWorld, workflowWorld } from './workflow-helpers.js';

/**
 * Every registered route × every role × own school and another school. A route missing from this
 * matrix fails the test, so a new route cannot ship without a decision about who may call it.
 */
type Kind =
  | { kind: 'public' }
  | { kind: 'device' }
  /** Any signed-in member of staff (their own account, session and navigation). */
  | { kind: 'staff' }
  /** Governed by the policy: allowed exactly when `can(subject, action, school A)`. */
  | {
      kind: 'policy';
      action: Action;
      body?: (f: Fixture) => unknown;
      query?: string;
      targetMayBeMissing?: boolean;
      /**
       * A collection or the caller's own settings: allowed with the action in any school, the
       * answer filtered to those schools (checked: nothing of school A leaks to others).
       */
      collection?: boolean;
    };

interface Fixture {
  schoolId: string;
  captureId: string;
  incidentId: string;
  deviceId: string;
  exemptionId: string;
}

const p = (action: Action, extra: Omit<Extract<Kind, { kind: 'policy' }>, 'kind' | 'action'> = {}): Kind => ({
  kind: 'policy',
  action,
  ...extra,
});

const MATRIX: Record<string, Kind> = {
  'GET /healthz': { kind: 'public' },
  'GET /readyz': { kind: 'public' },
  'GET /metrics': { kind: 'public' },
  'GET /api/v1/openapi.json': { kind: 'public' },
  'GET /': { kind: 'public' },
  'GET /assets/:name': { kind: 'public' },
  'POST /api/v1/session': { kind: 'public' },
  'POST /api/v1/enrol': { kind: 'public' },
  'POST /api/v1/captures': { kind: 'device' },
  'POST /api/v1/heartbeat': { kind: 'device' },
  'GET /api/v1/policy': { kind: 'device' },
  'DELETE /api/v1/session': { kind: 'staff' },
  'GET /api/v1/me': { kind: 'staff' },
  'GET /api/v1/moderation/context': { kind: 'staff' },
  'POST /api/v1/me/totp/enrolment': { kind: 'staff' },
  'POST /api/v1/me/totp/enrolment/confirm': { kind: 'staff' },
  'POST /api/v1/session/revoke-all': { kind: 'staff' },
  'GET /api/v1/workflow/me': { kind: 'staff' },
  // Captures and moderation (issue 6)
  'GET /api/v1/captures': p('capture.list', { collection: true }),
  'GET /api/v1/captures/:id': p('capture.view'),
  'GET /api/v1/captures/:id/screenshot': p('capture.view'),
  'GET /api/v1/captures/:id/thumbnail': p('capture.view'),
  'GET /api/v1/captures/:id/screenshot/blurred': p('capture.view'),
  'GET /api/v1/queue': p('capture.list', { collection: true }),
  'GET /api/v1/queue/head': p('capture.list', { collection: true }),
  'GET /api/v1/queue/groups/:groupKey': p('capture.list', { targetMayBeMissing: true, collection: true }),
  'GET /api/v1/moderation/captures/:id': p('capture.view'),
  'GET /api/v1/moderation/exception-suggestions': p('lexicon.suggestions', { query: '?school=:schoolId' }),
  'POST /api/v1/moderation/actions': p('capture.moderate', {
    body: (f) => ({ action: 'review', captureIds: [f.captureId] }),
  }),
  'POST /api/v1/moderation/actions/:id/undo': p('capture.moderate', { targetMayBeMissing: true }),
  'POST /api/v1/captures/:id/notes': p('capture.moderate', { body: () => ({ text: 'a note' }) }),
  'POST /api/v1/captures/:id/reveal': p('capture.reveal', { body: () => ({ reason: 'checking context' }) }),
  // Incidents (issue 7)
  'GET /api/v1/incidents': p('incident.list', { collection: true }),
  'GET /api/v1/incidents/escalations': p('incident.create', { collection: true }),
  'POST /api/v1/incidents': p('incident.create', {
    body: (f) => ({ schoolId: f.schoolId, title: 'By hand' }),
  }),
  'POST /api/v1/captures/:id/incident': p('incident.create', { body: () => ({}) }),
  'GET /api/v1/captures/:id/incidents': p('incident.view'),
  'GET /api/v1/incidents/:id': p('incident.view'),
  'PATCH /api/v1/incidents/:id': p('incident.update', { body: () => ({ title: 'Renamed' }) }),
  'POST /api/v1/incidents/:id/notes': p('incident.update', { body: () => ({ text: 'note' }) }),
  'POST /api/v1/incidents/:id/actions': p('incident.update', { body: () => ({ kind: 'support' }) }),
  'POST /api/v1/incidents/:id/evidence': p('incident.update', { body: (f) => ({ captureId: f.captureId }) }),
  'DELETE /api/v1/incidents/:id/evidence/:captureId': p('incident.update'),
  'POST /api/v1/incidents/:id/close': p('incident.update', { body: () => ({ outcome: 'Done' }) }),
  'POST /api/v1/incidents/:id/reopen': p('incident.update', { body: () => ({}) }),
  'PUT /api/v1/incidents/:id/legal-hold': p('incident.hold', {
    body: () => ({ on: true, reason: 'Police' }),
  }),
  'DELETE /api/v1/incidents/:id': p('incident.hold', { query: '?reason=opened%20in%20error' }),
  'GET /api/v1/incidents/:id/incident.pdf': p('incident.export'),
  'GET /api/v1/incidents/:id/referral.zip': p('incident.export'),
  // Alerts, the week, reports
  'GET /api/v1/alerts/preferences': p('alert.preferences', { collection: true }),
  'PUT /api/v1/alerts/preferences': p('alert.preferences', {
    body: () => ({ urgentEmail: true, digest: 'off' }),
    collection: true,
  }),
  'GET /api/v1/schools/:schoolId/alert-rule': p('alert.rules'),
  'PUT /api/v1/schools/:schoolId/alert-rule': p('alert.rules', {
    body: () => ({ categories: ['suicide'], minSeverity: 5, webhookUrl: null }),
  }),
  'GET /api/v1/schools/:schoolId/dashboard': p('dashboard.aggregate'),
  'GET /api/v1/schools/:schoolId/reports/:period.:format': p('report.aggregate'),
  // Devices, retention, audit
  'GET /api/v1/schools/:schoolId/devices': p('device.list'),
  'POST /api/v1/devices/:id/revoke': p('device.revoke', { body: () => ({}) }),
  'POST /api/v1/schools/:schoolId/enrolment-tokens': p('enrolment.issue', {
    body: () => ({ label: 'Room 4' }),
  }),
  'GET /api/v1/schools/:schoolId/retention': p('retention.configure'),
  'PUT /api/v1/schools/:schoolId/retention': p('retention.configure', {
    body: () => ({
      dismissedDays: 30,
      reviewedDays: 90,
      escalatedDays: 2555,
      unreviewedDays: null,
      closedIncidentDays: 2555,
    }),
  }),
  'GET /api/v1/schools/:schoolId/subject-access.zip': p('subject-access.export', { query: '?user=pupil07' }),
  'POST /api/v1/retention/run': p('retention.run', { body: () => ({}), collection: true }),
  'GET /api/v1/schools/:schoolId/lexicon': p('lexicon.view'),
  'GET /api/v1/schools/:schoolId/lexicon/entries': p('lexicon.view', { query: '?q=kill' }),
  'PUT /api/v1/schools/:schoolId/lexicon/overrides': p('lexicon.edit', {
    body: () => ({ added: [{ term: 'zorblax', category: 'bullying', severity: 3 }] }),
  }),
  'POST /api/v1/schools/:schoolId/lexicon/try': p('lexicon.view', {
    body: () => ({ phrase: 'i want to die' }),
  }),
  'POST /api/v1/schools/:schoolId/lexicon/publish': p('lexicon.publish', { body: () => ({}) }),
  'GET /api/v1/schools/:schoolId/exemptions': p('exemption.view'),
  'POST /api/v1/schools/:schoolId/exemptions': p('exemption.manage', {
    body: () => ({
      categories: ['drugs'],
      hostnamePattern: 'SCI-LAB-*',
      reason: 'Year 9 drugs education unit',
      expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    }),
  }),
  'POST /api/v1/exemptions/:id/revoke': p('exemption.manage', { body: () => ({}) }),
  'GET /api/v1/audit': p('audit.view', { collection: true }),
  'GET /api/v1/audit/verify': p('audit.view', { collection: true }),
};

let w: WorkflowWorld;
let routes: { method: string; url: string }[] = [];
const SUBJECTS: { name: string; memberships: (a: string, b: string) => Subject['memberships'] }[] = [
  ...(['admin', 'technician', 'moderator', 'dsl', 'headteacher', 'governor'] as Role[]).map((role) => ({
    name: role,
    memberships: (a: string) => [{ schoolId: a, role }],
  })),
  { name: 'dslB', memberships: (_a: string, b: string) => [{ schoolId: b, role: 'dsl' as const }] },
  {
    name: 'la',
    memberships: (a: string, b: string) => [
      { schoolId: a, role: 'moderator' as const },
      { schoolId: b, role: 'moderator' as const },
    ],
  },
];

beforeAll(async () => {
  // Each mutating route gets fresh fixtures, each with a newly enrolled device: hundreds a minute.
  w = await workflowWorld({ ENROLMENTS_PER_MINUTE_PER_ADDRESS: '1000000' });
  const probe = Fastify();
  probe.decorate('kestrel', w.h.app.kestrel);
  probe.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) if (method !== 'HEAD') routes.push({ method, url: r.url });
  });
  for (const group of ROUTE_GROUPS) await probe.register(group);
  await probe.ready();
  await probe.close();
  routes = routes.filter((r, i) => routes.findIndex((o) => o.method === r.method && o.url === r.url) === i);
});
afterAll(() => w.close());

async function fixture(): Promise<Fixture> {
  const captureId = await w.capture(w.deviceA, { category: 'bullying', severity: 3 });
  const inc = await w.as('dsl')({
    method: 'POST',
    url: '/api/v1/incidents',
    payload: { schoolId: w.schoolA, title: 'Fixture', captureIds: [captureId] },
  });
  const device = await enrol(w.h.app, `PC-${randomUUID().slice(0, 8)}`);
  const ex = await w.as('dsl')({
    method: 'POST',
    url: `/api/v1/schools/${w.schoolA}/exemptions`,
    payload: {
      categories: ['gambling'],
      deviceIds: [device.deviceId],
      reason: 'Maths: probability and gambling',
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    },
  });
  return {
    exemptionId: ex.json<{ id: string }>().id,
    schoolId: w.schoolA,
    captureId,
    incidentId: inc.json<{ id: string }>().id,
    deviceId: device.deviceId,
  };
}

function urlFor(url: string, f: Fixture): string {
  const period = new Date().toISOString().slice(0, 7);
  return url
    .replace(':period.:format', `${period}.csv`)
    .replace(':schoolId', f.schoolId)
    .replace(':captureId', f.captureId)
    .replace(':groupKey', 'no-such-group')
    .replace(':name', 'app.js')
    .replace(/^\/api\/v1\/incidents\/:id/, `/api/v1/incidents/${f.incidentId}`)
    .replace(/^\/api\/v1\/devices\/:id/, `/api/v1/devices/${f.deviceId}`)
    .replace(/^\/api\/v1\/exemptions\/:id/, `/api/v1/exemptions/${f.exemptionId}`)
    .replace(/^\/api\/v1\/moderation\/actions\/:id/, `/api/v1/moderation/actions/${randomUUID()}`)
    .replace(':id', f.captureId);
}

describe('authorisation matrix', () => {
  it('classifies every registered route', () => {
    const missing = routes.map((r) => `${r.method} ${r.url}`).filter((k) => MATRIX[k] === undefined);
    expect(missing, 'routes with no entry in the authorisation matrix').toEqual([]);
    expect(routes.length).toBeGreaterThan(50);
  });

  it('answers 401 to a signed-out caller on every staff and device route', async () => {
    const f = await fixture();
    for (const r of routes) {
      const kind = MATRIX[`${r.method} ${r.url}`];
      if (kind === undefined || kind.kind === 'public') continue;
      const res = await w.h.app.inject({
        method: r.method as 'GET',
        url: urlFor(r.url, f),
        payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {},
      });
      expect(res.statusCode, `${r.method} ${r.url}: ${res.body}`).toBe(401);
    }
  });

  it('allows exactly what the policy allows, per role and school', async () => {
    const failures: string[] = [];
    for (const r of routes) {
      const kind = MATRIX[`${r.method} ${r.url}`];
      if (kind === undefined || kind.kind === 'public' || kind.kind === 'device') continue;
      const mutating = r.method !== 'GET';
      let shared = await fixture();
      for (const s of SUBJECTS) {
        const f = mutating ? await fixture() : shared;
        const body = kind.kind === 'policy' && kind.body !== undefined ? kind.body(f) : undefined;
        const url =
          urlFor(r.url, f) +
          (kind.kind === 'policy' ? (kind.query ?? '').replace(':schoolId', f.schoolId) : '');
        const res = await w.as(s.name)({
          method: r.method as 'GET',
          url,
          ...(body === undefined ? {} : { payload: body as object }),
        });
        const code = res.statusCode;
        const subject: Subject = { userId: s.name, memberships: s.memberships(w.schoolA, w.schoolB) };
        const collection = kind.kind === 'policy' && kind.collection === true;
        const allowed =
          kind.kind === 'staff' ||
          (collection ? canAnywhere(subject, kind.action) : can(subject, kind.action, w.schoolA));
        if (collection && kind.kind === 'policy' && !can(subject, kind.action, w.schoolA)) {
          if (
            res.body.includes(f.captureId) ||
            res.body.includes(f.incidentId) ||
            res.body.includes(w.schoolA)
          ) {
            failures.push(`school A leaked: ${s.name} ${r.method} ${r.url}`);
          }
        }
        const where = `${s.name} ${r.method} ${r.url} → ${code} ${res.body.slice(0, 160)}`;
        // Signing out ends the session the rest of the matrix uses.
        if (r.url === '/api/v1/session' || r.url === '/api/v1/session/revoke-all') await w.relogin(s.name);
        if (code >= 500) failures.push(`server error: ${where}`);
        else if (
          allowed &&
          (code === 401 ||
            code === 403 ||
            (code === 404 && !(kind.kind === 'policy' && kind.targetMayBeMissing)))
        ) {
          failures.push(`refused though allowed: ${where}`);
        } else if (!allowed && ![403, 404].includes(code)) failures.push(`not refused: ${where}`);
      }
      shared = await fixture();
    }
    expect(failures).toEqual([]);
  });
});
