import type { FastifyPluginAsync } from 'fastify';
import { authRoutes } from './auth-routes.js';
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
];
