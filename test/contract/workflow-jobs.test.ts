import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSmtpServer } from '../../collector-server/src/adapters/mail/test-smtp-server.test-support.js';
import { workflowJobs } from '../../collector-server/src/workflow-jobs.js';
import { type WorkflowWorld, workflowWorld } from './workflow-helpers.js';

let w: WorkflowWorld;
let smtp: Awaited<ReturnType<typeof startTestSmtpServer>>;
beforeAll(async () => {
  smtp = await startTestSmtpServer();
  w = await workflowWorld();
});
afterAll(async () => {
  await w.close();
  await smtp.close();
});

describe('workflow jobs on a running collector', () => {
  it('e-mails the DSL about an urgent capture posted by an agent, with a link and no phrase', async () => {
    const jobs = workflowJobs(w.h.app, { SMTP_URL: smtp.url, MAIL_FROM: 'Kestrel <kestrel@hillside.test>' });
    const id = await w.capture(w.deviceA, {
      category: 'suicide',
      severity: 5,
      term: 'end it all',
      context: 'i want to end it all',
    });
    await w.capture(w.deviceB, { category: 'suicide', severity: 5 });
    await jobs.scheduler.runNow('urgent-alerts');
    const toDsl = smtp.received.filter((m) => m.to.includes('dsl@hillside.test'));
    expect(toDsl).toHaveLength(1);
    expect(toDsl[0]?.body).toContain(`/#/captures/${id}`);
    expect(toDsl[0]?.raw).not.toContain('end it all');
    // School B's capture went to school B's DSL only; governors and technicians got nothing.
    expect(smtp.received.some((m) => m.to.includes('dsl@brook.test'))).toBe(true);
    expect(smtp.received.some((m) => m.to.some((t) => /governor|technician/.test(t)))).toBe(false);
    const before = smtp.received.length;
    await jobs.scheduler.runNow('urgent-alerts');
    expect(smtp.received.length).toBe(before);
  });

  it('sends last month’s report to the headteacher once, with the figures attached', async () => {
    const jobs = workflowJobs(w.h.app, { SMTP_URL: smtp.url });
    smtp.received.length = 0;
    await jobs.scheduler.runNow('monthly-report');
    await jobs.scheduler.runNow('monthly-report');
    const reports = smtp.received.filter((m) =>
      m.subject.startsWith('Kestrel monthly safeguarding monitoring report'),
    );
    expect(reports.map((m) => m.to)).toEqual([['headteacher@hillside.test']]);
    expect(reports[0]?.raw).toMatch(/Content-Type: application\/pdf; name=kestrel-report-\d{4}-\d{2}\.pdf/);
    expect(reports[0]?.raw).toMatch(/Content-Type: text\/csv; name=kestrel-report-\d{4}-\d{2}\.csv/);
  });
});
