import type { FastifyPluginAsync } from 'fastify';
import { alertRoutes } from './alerts-routes.js';
import { auditRoutes } from './audit-routes.js';
import { authRoutes } from './auth-routes.js';
import { deviceRoutes } from './devices-routes.js';
import { exemptionRoutes } from './exemptions-routes.js';
import { incidentRoutes } from './incidents-routes.js';
import { lexiconRoutes } from './lexicon-routes.js';
import { moderationActionRoutes } from './moderation-actions.js';
import { moderationQueueRoutes } from './moderation-queue.js';
import { moderationUiRoutes } from './moderation-ui.js';
import { captureIngestRoutes } from './routes/captures-ingest.js';
import { captureStaffRoutes } from './routes/captures.js';
import { enrolRoutes } from './routes/enrol.js';
import { healthRoutes } from './routes/health.js';
import { heartbeatRoutes } from './routes/heartbeat.js';
import { metricsRoutes } from './routes/metrics.js';
import { openApiRoutes } from './routes/openapi.js';
import { policyRoutes } from './routes/policy.js';
import { reportRoutes } from './reports-routes.js';
import { retentionRoutes } from './retention-routes.js';
import { sessionRoutes } from './routes/session.js';

/**
 * Every route group, registered in this order. A new group (moderation, incidents, UI…) is one
 * file under `routes/` and one line here; it reaches shared services through `app.kestrel` and
 * guards itself with `requireStaff(roles)` or `requireDevice(kind)`.
 */
export const ROUTE_GROUPS: readonly FastifyPluginAsync[] = [
  healthRoutes,
  metricsRoutes,
  openApiRoutes,
  enrolRoutes,
  captureIngestRoutes,
  heartbeatRoutes,
  policyRoutes,
  sessionRoutes,
  captureStaffRoutes,
  authRoutes,
  moderationQueueRoutes,
  moderationActionRoutes,
  moderationUiRoutes,
  // Safeguarding workflow (issue 7)
  incidentRoutes,
  alertRoutes,
  reportRoutes,
  deviceRoutes,
  retentionRoutes,
  auditRoutes,
  exemptionRoutes,
  lexiconRoutes,
];
