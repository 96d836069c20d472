import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { scanAuditEvents } from '../adapters/repositories/audit-chain.js';
import { verifyChain } from '../domain/audit/audit-chain.js';
import type { ChainedAuditEvent } from '../domain/audit/audit-chain.js';
import { parseWith } from './parse.js';
import { allowedSchools, guarded, subjectOf } from './workflow-access.js';
import { workflowServices } from './workflow-services.js';

const iso = z.iso.datetime({ offset: true });
const query = z.strictObject({
  schoolId: z.string().max(100).optional(),
  action: z.string().max(100).optional(),
  actorUserId: z.string().max(100).optional(),
  targetType: z.string().max(50).optional(),
  targetId: z.string().max(100).optional(),
  from: iso.optional(),
  to: iso.optional(),
  afterSeq: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** The audit viewer: who saw what and did what, filtered; and the chain's verification. */
export const auditRoutes: FastifyPluginAsync = async (app) => {
  const { storage } = app.kestrel;

  app.get('/api/v1/audit', guarded('audit.view'), async (request) => {
    const q = parseWith(query, request.query);
    const schools = allowedSchools(request, 'audit.view', q.schoolId);
    // Events with no school (sign-ins, system jobs) belong to the administrators.
    const withSystem =
      q.schoolId === undefined && subjectOf(request).memberships.some((m) => m.role === 'admin');
    const items: ChainedAuditEvent[] = [];
    for await (const e of scanAuditEvents(storage.db, {
      schoolIds: withSystem ? [...schools, null] : schools,
      ...(q.action === undefined ? {} : { action: q.action }),
      ...(q.actorUserId === undefined ? {} : { actorUserId: q.actorUserId }),
      ...(q.targetType === undefined ? {} : { targetType: q.targetType }),
      ...(q.targetId === undefined ? {} : { targetId: q.targetId }),
      ...(q.from === undefined ? {} : { from: new Date(q.from).toISOString() }),
      ...(q.to === undefined ? {} : { to: new Date(q.to).toISOString() }),
      ...(q.afterSeq === undefined ? {} : { afterSeq: q.afterSeq }),
      limit: q.limit + 1,
    })) {
      items.push(e);
    }
    const page = items.slice(0, q.limit);
    const people: Record<string, string> = {};
    for (const id of new Set(page.map((e) => e.actorUserId))) {
      if (id !== null) people[id] = (await storage.users.get(id))?.displayName ?? 'former member of staff';
    }
    await workflowServices(app).audit.record({
      action: 'audit.viewed',
      actorUserId: subjectOf(request).userId,
      schoolId: q.schoolId ?? null,
      details: { filter: { ...q, limit: undefined } },
    });
    return { items: page, people, nextAfterSeq: items.length > q.limit ? (page.at(-1)?.seq ?? null) : null };
  });

  app.get('/api/v1/audit/verify', guarded('audit.view'), async () => {
    const verdict = await verifyChain(scanAuditEvents(storage.db));
    return verdict;
  });
};
