import type { FastifyInstance } from 'fastify';
import { createHttpWebhook, webhookOptionsFrom } from './adapters/mail/http-webhook.js';
import { parseMailConfig } from './adapters/mail/mail-config.js';
import { createSmtpMailer, createUnconfiguredMailer } from './adapters/mail/smtp-mailer.js';
import { renderMonthlyReportPdf } from './adapters/pdf/monthly-report-pdf.js';
import { reportSource } from './adapters/repositories/report-source.js';
import { workflowDb } from './adapters/db/workflow-schema.js';
import { AlertDispatcher } from './domain/alerts/alert-dispatcher.js';
import { sendMonthlyReports } from './domain/reports/monthly-report-job.js';
import { purgeExpired } from './domain/retention/retention-purge.js';
import { Scheduler } from './domain/workflow/scheduler.js';
import type { SchedulerTimers } from './domain/workflow/scheduler.js';
import { publicUrlOf, workflowServices } from './http/workflow-services.js';

const SECOND = 1000;
const HOUR = 3_600 * SECOND;

/**
 * The workflow's background jobs: urgent alerts every 15 seconds (the DSL is promised a minute),
 * digests and the monthly report checked hourly (each goes out once per period), the retention
 * purge every six hours. Started by `main.ts` (tests run jobs by hand with `runNow`).
 */
export function workflowJobs(
  app: FastifyInstance,
  env: Record<string, string | undefined> = process.env,
  timers?: SchedulerTimers,
) {
  const mail = parseMailConfig(env);
  const smtp = mail.smtpUrl === undefined ? undefined : createSmtpMailer(mail.smtpUrl, mail.from);
  const mailer = smtp ?? createUnconfiguredMailer();
  const { storage, clock } = app.kestrel;
  const s = workflowServices(app);
  const publicUrl = publicUrlOf(app);
  const dispatcher = new AlertDispatcher({
    store: s.alerts,
    mailer,
    webhook: createHttpWebhook(webhookOptionsFrom(env)),
    audit: s.audit,
    clock,
    publicUrl,
    log: app.log,
  });
  const scheduler = new Scheduler(
    [
      { name: 'urgent-alerts', everyMs: 15 * SECOND, run: () => dispatcher.dispatchUrgent() },
      { name: 'digests', everyMs: HOUR, run: () => dispatcher.sendDigests() },
      {
        name: 'retention',
        everyMs: 6 * HOUR,
        run: () =>
          purgeExpired({ store: s.retention, files: app.kestrel.screenshots, audit: s.audit, clock }),
      },
      {
        name: 'monthly-report',
        everyMs: HOUR,
        run: () =>
          sendMonthlyReports({
            source: reportSource(storage.db, storage),
            schools: () => storage.schools.list(),
            headteachers: async (schoolId) =>
              (await s.alerts.staffOf(schoolId)).filter(
                (p) => !p.disabled && p.roles.includes('headteacher'),
              ),
            claimRun: async (schoolId, period, at) => {
              const r = await workflowDb(storage.db)
                .insertInto('report_runs')
                .values({ school_id: schoolId, period, sent_at: at })
                .onConflict((oc) => oc.columns(['school_id', 'period']).doNothing())
                .executeTakeFirst();
              return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
            },
            renderPdf: renderMonthlyReportPdf,
            send: (m) => mailer.send(m),
            audit: s.audit,
            clock,
            publicUrl,
          }),
      },
    ],
    (job, err) => app.log.warn({ err, job }, 'workflow job failed; it runs again at its next interval'),
    timers,
  );
  return {
    scheduler,
    /** Starts the timers and stops them (waiting for runs in flight) when the app closes. */
    start() {
      scheduler.start();
      app.addHook('onClose', async () => {
        await scheduler.stop();
        smtp?.close();
      });
    },
  };
}
