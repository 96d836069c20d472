import { AuditLog } from '../audit/audit-log.js';
import { MemoryAuditChainStore } from '../audit/memory-audit-chain-store.js';
import type { Subject } from '../authz/policy.js';
import type { EvidenceCapture } from './incident.js';
import { IncidentService } from './incident-service.js';
import { MemoryIncidentsRepository } from './memory-incidents-repository.js';

export const dsl: Subject = { userId: 'dsl-a', memberships: [{ schoolId: 'a', role: 'dsl' }] };
export const head: Subject = { userId: 'head-a', memberships: [{ schoolId: 'a', role: 'headteacher' }] };
export const dslB: Subject = { userId: 'dsl-b', memberships: [{ schoolId: 'b', role: 'dsl' }] };

export function capture(id: string, over: Partial<EvidenceCapture> = {}): EvidenceCapture {
  return {
    id,
    schoolId: 'a',
    capturedAt: '2026-11-20T10:15:00.000Z',
    receivedAt: '2026-11-20T10:15:01.000Z',
    machine: 'LAB1-PC07',
    user: 'jsmith',
    source: 'typed',
    category: 'self-harm',
    severity: 4,
    term: 'cut myself',
    context: 'i want to cut myself tonight',
    windowTitle: 'Chat',
    application: 'chrome.exe',
    url: null,
    status: 'escalated',
    screenshotSha256: null,
    screenshotMediaType: null,
    ...over,
  };
}

export function incidentWorld(captures: EvidenceCapture[]) {
  let t = Date.parse('2026-11-23T09:00:00Z');
  const clock = { now: () => new Date((t += 60_000)) };
  const auditStore = new MemoryAuditChainStore();
  const audit = new AuditLog(auditStore, clock);
  const repo = new MemoryIncidentsRepository();
  const byId = new Map(captures.map((c) => [c.id, c]));
  let n = 0;
  const service = new IncidentService({
    incidents: repo,
    captures: { get: async (id) => byId.get(id) },
    audit,
    clock,
    newId: () => `id-${(n += 1)}`,
  });
  return { service, repo, auditStore, audit, clock };
}
