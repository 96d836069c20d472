import { KestrelError } from '@kestrel/shared/errors';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { workflowDb } from '../adapters/db/workflow-schema.js';
import { zipFiles } from '../adapters/zip/zip-files.js';
import { toDrawable } from '../adapters/pdf/drawable-image.js';
import { renderIncidentPdf } from '../adapters/pdf/incident-pdf.js';
import type { IncidentDetail } from '../domain/incidents/incident-service.js';
import { INCIDENT_STATUSES } from '../domain/incidents/incident.js';
import { buildReferralPack } from '../domain/incidents/referral-pack.js';
import { parseWith } from './parse.js';
import { allowedSchools, guarded, subjectOf } from './workflow-access.js';
import { workflowServices } from './workflow-services.js';

const idParams = z.strictObject({ id: z.uuid() });
const evidenceParams = z.strictObject({ id: z.uuid(), captureId: z.uuid() });
const listQuery = z.strictObject({
  status: z.enum(INCIDENT_STATUSES).optional(),
  schoolId: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

async function namesFor(
  request: FastifyRequest,
  ids: Iterable<string | null>,
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const id of new Set(ids)) {
    if (id === null) continue;
    const user = await request.server.kestrel.storage.users.get(id);
    out[id] = user?.displayName ?? 'former member of staff';
  }
  return out;
}

/** The detail as the UI shows it: illegal evidence is listed without its phrase or context. */
async function present(request: FastifyRequest, d: IncidentDetail) {
  const people = await namesFor(request, [
    d.incident.openedBy,
    d.incident.ownerUserId,
    ...d.notes.map((n) => n.authorUserId),
    ...d.actions.map((a) => a.recordedBy),
  ]);
  return {
    incident: d.incident,
    notes: d.notes,
    actions: d.actions,
    steps: d.steps,
    people,
    evidence: d.evidence.map((e) => {
      const withheld = e.category === 'illegal';
      return {
        id: e.id,
        capturedAt: e.capturedAt,
        machine: e.machine,
        user: e.user,
        category: e.category,
        severity: e.severity,
        status: e.status,
        term: withheld ? null : e.term,
        context: withheld ? null : e.context,
        windowTitle: e.windowTitle,
        application: e.application,
        withheld,
        screenshotSha256: e.screenshotSha256,
        addedAt: e.addedAt,
      };
    }),
  };
}

/** The e-safety incident log (issue 7): DSLs own incidents, headteachers read them. */
export const incidentRoutes: FastifyPluginAsync = async (app) => {
  const svc = () => workflowServices(app);

  app.get('/api/v1/incidents', guarded('incident.list'), async (request) => {
    const q = parseWith(listQuery, request.query);
    const items = await svc().incidents.list(subjectOf(request), {
      ...(q.status === undefined ? {} : { status: q.status }),
      ...(q.schoolId === undefined ? {} : { schoolId: q.schoolId }),
      limit: q.limit,
    });
    const people = await namesFor(
      request,
      items.map((i) => i.ownerUserId),
    );
    return { items, people, schoolIds: allowedSchools(request, 'incident.list') };
  });

  /** Escalated captures not yet evidence in any incident: the DSL's in-tray. */
  app.get('/api/v1/incidents/escalations', guarded('incident.create'), async (request) => {
    const q = parseWith(z.strictObject({ schoolId: z.string().max(100).optional() }), request.query);
    const schoolIds = allowedSchools(request, 'incident.create', q.schoolId);
    if (schoolIds.length === 0) return { items: [] };
    const rows = await workflowDb(app.kestrel.storage.db)
      .selectFrom('captures')
      .leftJoin('incident_evidence', 'incident_evidence.capture_id', 'captures.id')
      .select([
        'captures.id',
        'captures.school_id',
        'captures.captured_at_utc',
        'captures.machine',
        'captures.os_user',
        'captures.category',
        'captures.severity',
        'captures.reviewed_at',
      ])
      .where('captures.school_id', 'in', schoolIds)
      .where('captures.status', '=', 'escalated')
      .where('incident_evidence.capture_id', 'is', null)
      .orderBy('captures.severity', 'desc')
      .orderBy('captures.received_at', 'desc')
      .limit(200)
      .execute();
    return {
      items: rows.map((r) => ({
        id: r.id,
        schoolId: r.school_id,
        capturedAt: r.captured_at_utc,
        machine: r.machine,
        user: r.os_user,
        category: r.category,
        severity: r.severity,
        escalatedAt: r.reviewed_at,
      })),
    };
  });

  app.post('/api/v1/incidents', guarded('incident.create'), async (request, reply) => {
    const incident = await svc().incidents.open(subjectOf(request), request.body as never);
    return reply.code(201).send(incident);
  });

  app.post('/api/v1/captures/:id/incident', guarded('incident.create'), async (request, reply) => {
    const { id } = parseWith(idParams, request.params);
    const body = parseWith(
      z.strictObject({ title: z.string().trim().min(1).max(200).optional() }),
      request.body ?? {},
    );
    const incident = await svc().incidents.openFromCapture(subjectOf(request), id, body.title);
    return reply.code(201).send(incident);
  });

  /** The incidents a capture is evidence in: the capture page links to an open one. */
  app.get('/api/v1/captures/:id/incidents', guarded('incident.view'), async (request) => {
    const { id } = parseWith(idParams, request.params);
    const incidents = await svc().incidents.forCapture(subjectOf(request), id);
    return {
      items: incidents.map((i) => ({ id: i.id, reference: i.reference, title: i.title, status: i.status })),
    };
  });

  app.get('/api/v1/incidents/:id', guarded('incident.view'), async (request) => {
    const { id } = parseWith(idParams, request.params);
    return present(request, await svc().incidents.get(subjectOf(request), id));
  });

  app.patch('/api/v1/incidents/:id', guarded('incident.update'), async (request) => {
    const { id } = parseWith(idParams, request.params);
    return svc().incidents.update(subjectOf(request), id, request.body as never);
  });

  app.post('/api/v1/incidents/:id/notes', guarded('incident.update'), async (request, reply) => {
    const { id } = parseWith(idParams, request.params);
    return reply.code(201).send(await svc().incidents.addNote(subjectOf(request), id, request.body as never));
  });

  app.post('/api/v1/incidents/:id/actions', guarded('incident.update'), async (request, reply) => {
    const { id } = parseWith(idParams, request.params);
    return reply
      .code(201)
      .send(await svc().incidents.recordAction(subjectOf(request), id, request.body as never));
  });

  app.post('/api/v1/incidents/:id/evidence', guarded('incident.update'), async (request, reply) => {
    const { id } = parseWith(idParams, request.params);
    const { captureId } = parseWith(z.strictObject({ captureId: z.uuid() }), request.body);
    await svc().incidents.linkCapture(subjectOf(request), id, captureId);
    return reply.code(204).send();
  });

  app.delete(
    '/api/v1/incidents/:id/evidence/:captureId',
    guarded('incident.update'),
    async (request, reply) => {
      const { id, captureId } = parseWith(evidenceParams, request.params);
      await svc().incidents.unlinkCapture(subjectOf(request), id, captureId);
      return reply.code(204).send();
    },
  );

  app.post('/api/v1/incidents/:id/close', guarded('incident.update'), async (request) => {
    const { id } = parseWith(idParams, request.params);
    return svc().incidents.close(subjectOf(request), id, request.body as never);
  });

  app.post('/api/v1/incidents/:id/reopen', guarded('incident.update'), async (request) => {
    const { id } = parseWith(idParams, request.params);
    return svc().incidents.reopen(subjectOf(request), id);
  });

  app.put('/api/v1/incidents/:id/legal-hold', guarded('incident.hold'), async (request) => {
    const { id } = parseWith(idParams, request.params);
    return svc().incidents.setLegalHold(subjectOf(request), id, request.body as never);
  });

  app.delete('/api/v1/incidents/:id', guarded('incident.hold'), async (request, reply) => {
    const { id } = parseWith(idParams, request.params);
    const { reason } = parseWith(
      z.strictObject({ reason: z.string().trim().min(1).max(1000) }),
      request.query,
    );
    await svc().incidents.delete(subjectOf(request), id, reason);
    return reply.code(204).send();
  });

  const pack = async (request: FastifyRequest) => {
    const { id } = parseWith(idParams, request.params);
    const services = svc();
    return buildReferralPack(
      {
        incidents: services.incidents,
        screenshots: app.kestrel.screenshots,
        toDrawable,
        renderPdf: renderIncidentPdf,
        schoolName: async (schoolId) => (await app.kestrel.storage.schools.get(schoolId))?.name ?? schoolId,
        userNames: async (ids) => new Map(Object.entries(await namesFor(request, ids))),
        audit: services.audit,
        clock: app.kestrel.clock,
      },
      subjectOf(request),
      id,
    );
  };

  app.get('/api/v1/incidents/:id/incident.pdf', guarded('incident.export'), async (request, reply) => {
    const files = await pack(request);
    const pdf = files.find((f) => f.path === 'incident.pdf');
    if (pdf === undefined) throw new KestrelError('INTERNAL', 'The PDF was not produced');
    return reply
      .header('cache-control', 'private, no-store')
      .header('content-disposition', 'attachment; filename="incident.pdf"')
      .type('application/pdf')
      .send(pdf.bytes);
  });

  app.get('/api/v1/incidents/:id/referral.zip', guarded('incident.export'), async (request, reply) => {
    const files = await pack(request);
    return reply
      .header('cache-control', 'private, no-store')
      .header('content-disposition', 'attachment; filename="referral.zip"')
      .type('application/zip')
      .send(await zipFiles(files, app.kestrel.clock.now()));
  });
};
