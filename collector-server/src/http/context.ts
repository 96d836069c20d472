import type { Config } from '../config/config.js';
import type { KyselyStorage } from '../adapters/storage.js';
import type { PolicyService } from '../domain/policy.js';
import type { RateLimiter } from '../domain/rate-limiter.js';
import type { StaffPrincipal, StaffSessions } from '../domain/staff-sessions.js';
import type { Clock } from '../ports/clock.js';
import type { Device } from '../ports/devices-repository.js';
import type { ImageProcessor } from '../ports/image-processor.js';
import type { ScreenshotStore } from '../ports/screenshot-store.js';
import type { CollectorMetrics } from './metrics.js';

/** Everything route plugins need, decorated on the Fastify instance as `app.kestrel`. */
export interface AppContext {
  config: Config;
  storage: KyselyStorage;
  screenshots: ScreenshotStore;
  images: ImageProcessor;
  clock: Clock;
  sessions: StaffSessions;
  policies: PolicyService;
  metrics: CollectorMetrics;
  /** Per device (`captures`, `requests`) and per client address (`enrolments`, `enrolmentFailures`). */
  limits: {
    captures: RateLimiter;
    requests: RateLimiter;
    enrolments: RateLimiter;
    enrolmentFailures: RateLimiter;
  };
  /** True once shutdown began: new requests are answered NOT_READY. */
  closing: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    kestrel: AppContext;
  }
  interface FastifyRequest {
    /** Set by `requireDevice`. */
    device?: Device;
    /** Set by `requireStaff`. */
    staff?: StaffPrincipal;
  }
}
