import type { FastifyInstance } from 'fastify';
import { DiskScreenshotStore } from './adapters/disk-screenshot-store.js';
import { openStorage } from './adapters/storage.js';
import { buildApp } from './app.js';
import { ConfigError, parseConfig } from './config/config.js';
import { ensureFirstRun } from './domain/first-run.js';
import { collectOrphanFiles } from './domain/orphan-files.js';
import { systemClock } from './ports/clock.js';
import { workflowJobs } from './workflow-jobs.js';

/**
 * `npm start`: configuration from the environment, database migrated, first-run accounts created
 * and printed once, then HTTP until SIGTERM/SIGINT (in-flight uploads finish, then the DB closes).
 */
async function main(): Promise<void> {
  let config;
  try {
    config = parseConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }

  const storage = await openStorage(config.database);
  const firstRun = await ensureFirstRun({ storage, clock: systemClock }, config.bootstrap);
  const app = await buildApp(config, { storage });
  app.addHook('onClose', async () => storage.close());
  // Before anything reads or deletes a screenshot: the jobs below, then the first request.
  await migrateScreenshotLayout(app);
  // Urgent alerts, digests, the monthly report and the retention purge (docs/workflow.md).
  workflowJobs(app).start();

  const address = await app.listen({ port: config.port, host: config.host });
  const url = config.publicUrl ?? address;

  // The contract: first-run credentials go to stdout once, plainly, never through the logger.
  const lines = [`Kestrel collector listening on ${url}`];
  if (firstRun.admin !== undefined) {
    lines.push(`First administrator: ${firstRun.admin.email}  password: ${firstRun.admin.password}`);
  }
  if (firstRun.enrolmentToken !== undefined) {
    lines.push(`Enrolment token (give it to agents): ${firstRun.enrolmentToken}`);
  }
  if (firstRun.admin !== undefined || firstRun.enrolmentToken !== undefined) {
    lines.push('These are shown only now. Sign in and change the password.');
  }
  process.stdout.write(`${lines.join('\n')}\n`);

  // Housekeeping in the background: files left by a crash between writing and committing.
  void housekeeping(app).catch((err: unknown) =>
    app.log.error({ err }, 'screenshot store housekeeping failed'),
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      app.log.error('shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    timer.unref();
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/** Before the first request: screenshots stored by earlier releases move to today's layout. */
async function migrateScreenshotLayout(app: FastifyInstance): Promise<void> {
  const { screenshots } = app.kestrel;
  if (!(screenshots instanceof DiskScreenshotStore)) return;
  const moved = await screenshots.migrateLegacyLayout((n) =>
    app.log.info({ moved: n }, 'moving screenshots to the one-level layout'),
  );
  if (moved > 0) app.log.info({ moved }, 'screenshots moved to the one-level layout');
}

async function housekeeping(app: FastifyInstance): Promise<void> {
  const { screenshots } = app.kestrel;
  const temporary =
    screenshots instanceof DiskScreenshotStore ? await screenshots.collectTemporaryFiles() : 0;
  const orphans = await collectOrphanFiles(app.kestrel);
  app.log.info({ temporary, ...orphans }, 'screenshot store housekeeping done');
}

main().catch((err: unknown) => {
  process.stderr.write(
    `Kestrel collector failed to start: ${err instanceof Error ? err.message : String(err)}\n`,
  );
  if (err instanceof Error && err.cause !== undefined)
    process.stderr.write(`  cause: ${String(err.cause)}\n`);
  process.exit(1);
});
