import { join } from 'node:path';
import cookie from '@fastify/cookie';
import { KestrelError } from '@kestrel/shared/errors';
import type { LexiconFile } from '@kestrel/shared/lexicon';
import Fastify, { type FastifyInstance } from 'fastify';
import { DiskScreenshotStore } from './adapters/disk-screenshot-store.js';
import { SharpImageProcessor } from './adapters/sharp-image-processor.js';
import { type KyselyStorage, openStorage } from './adapters/storage.js';
import type { Config } from './config/config.js';
import { loadShippedLexicon } from './domain/lexicon-source.js';
import { PolicyService } from './domain/policy.js';
import { RateLimiter } from './domain/rate-limiter.js';
import { StaffSessions } from './domain/staff-sessions.js';
import type { AppContext } from './http/context.js';
import { installErrorHandling } from './http/error-handler.js';
import { CollectorMetrics } from './http/metrics.js';
import { ROUTE_GROUPS } from './http/routes.js';
import { installSecurityHeaders } from './http/security-headers.js';
import { type Clock, systemClock } from './ports/clock.js';
import type { ImageProcessor } from './ports/image-processor.js';
import type { ScreenshotStore } from './ports/screenshot-store.js';

export interface AppDeps {
  /** Supplied storage is the caller's to close; otherwise the app opens and closes its own. */
  storage?: KyselyStorage;
  screenshots?: ScreenshotStore;
  images?: ImageProcessor;
  clock?: Clock;
  lexicon?: () => Promise<LexiconFile>;
  /** Where log lines go (default standard output); tests read them to prove redaction. */
  logStream?: { write(line: string): void };
}

/** Secrets never reach the log, whichever object carries them. */
export const LOG_REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.deviceToken',
  '*.enrolmentToken',
  '*.token',
  '*.totp',
];

/** JSON bodies (enrolment, heartbeats, sign-in) are small; capture uploads have their own bound (capture-parts.ts). */
export const JSON_BODY_LIMIT = 256 * 1024;

/** The whole collector as a Fastify instance, not yet listening (tests use `app.inject()`). */
export async function buildApp(config: Config, deps: AppDeps = {}): Promise<FastifyInstance> {
  const storage = deps.storage ?? (await openStorage(config.database));
  const ownsStorage = deps.storage === undefined;
  const clock = deps.clock ?? systemClock;

  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' },
      ...(deps.logStream === undefined ? {} : { stream: deps.logStream }),
    },
    trustProxy: config.trustProxy,
    bodyLimit: JSON_BODY_LIMIT,
    return503OnClosing: false,
    // A slow client must not hold an upload slot forever.
    requestTimeout: 120_000,
  });

  const burst = (perMinute: number) => Math.max(1, Math.ceil(perMinute / 4));
  const context: AppContext = {
    config,
    storage,
    screenshots: deps.screenshots ?? new DiskScreenshotStore(join(config.dataDir, 'screenshots')),
    images: deps.images ?? new SharpImageProcessor(),
    clock,
    sessions: new StaffSessions(storage, clock, config.sessionTtlMs),
    policies: new PolicyService(storage, deps.lexicon ?? loadShippedLexicon),
    metrics: new CollectorMetrics(),
    limits: {
      captures: new RateLimiter(
        config.rateLimits.capturesPerMinute,
        burst(config.rateLimits.capturesPerMinute),
        clock,
      ),
      requests: new RateLimiter(
        config.rateLimits.requestsPerMinute,
        burst(config.rateLimits.requestsPerMinute),
        clock,
      ),
      enrolments: new RateLimiter(
        config.rateLimits.enrolmentsPerMinutePerAddress,
        burst(config.rateLimits.enrolmentsPerMinutePerAddress),
        clock,
      ),
      // A whole minute's allowance at once: a technician mistyping a token a few times is not held up.
      enrolmentFailures: new RateLimiter(
        config.rateLimits.enrolmentFailuresPerMinutePerAddress,
        config.rateLimits.enrolmentFailuresPerMinutePerAddress,
        clock,
      ),
    },
    closing: false,
  };
  app.decorate('kestrel', context);

  // The API speaks JSON and multipart only; a text/plain body is refused (415) rather than parsed.
  app.removeContentTypeParser('text/plain');
  installErrorHandling(app);
  installSecurityHeaders(app);

  app.addHook('onRequest', async (_request, reply) => {
    if (context.closing) {
      reply.header('connection', 'close');
      throw new KestrelError('NOT_READY', 'The collector is shutting down; retry shortly');
    }
  });
  app.addHook('onResponse', async (request, reply) => {
    context.metrics.requestDuration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: `${Math.floor(reply.statusCode / 100)}xx`,
      },
      reply.elapsedTime / 1000,
    );
  });
  app.addHook('preClose', async () => {
    context.closing = true;
  });
  // Answers finished during shutdown close their connection, so that keep-alive clients do not hold
  // the server open until their idle timeout.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (context.closing) reply.header('connection', 'close');
    return payload;
  });
  if (ownsStorage) app.addHook('onClose', async () => storage.close());

  await app.register(cookie);
  for (const group of ROUTE_GROUPS) await app.register(group);
  return app;
}
