import type { FastifyInstance } from 'fastify';
import { alertStore } from '../adapters/repositories/alerts.js';
import { sqlAuditLog } from '../adapters/repositories/audit-chain.js';
import { evidenceCaptures } from '../adapters/repositories/evidence-captures.js';
import { incidentsRepository } from '../adapters/repositories/incidents.js';
import { retentionStore } from '../adapters/repositories/retention.js';
import { IncidentService } from '../domain/incidents/incident-service.js';

/** The workflow's services over the app's storage (cheap to build; nothing is cached in them). */
export function workflowServices(app: FastifyInstance) {
  const { storage, clock } = app.kestrel;
  const audit = sqlAuditLog(storage.db, clock);
  const incidentsRepo = incidentsRepository(storage.db);
  return {
    audit,
    incidentsRepo,
    incidents: new IncidentService({
      incidents: incidentsRepo,
      captures: evidenceCaptures(storage.captures),
      audit,
      clock,
    }),
    alerts: alertStore(storage.db),
    retention: retentionStore(storage.db),
  };
}

export function publicUrlOf(app: FastifyInstance): string {
  const c = app.kestrel.config;
  return c.publicUrl ?? `http://${c.host}:${c.port}`;
}
