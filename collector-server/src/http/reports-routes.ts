import { KestrelError } from '@kestrel/shared/errors';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { renderMonthlyReportPdf } from '../adapters/pdf/monthly-report-pdf.js';
import { reportSource } from '../adapters/repositories/report-source.js';
import { ACTIONS } from '../domain/authz/actions.js';
import { can } from '../domain/authz/policy.js';
import { buildDashboard } from '../domain/reports/dashboard.js';
import { buildMonthlyReport, monthlyReportCsv } from '../domain/reports/monthly-report.js';
import { previousPeriod } from '../domain/reports/school-month.js';
import { parseWith } from './parse.js';
import { requireStaff, staffOf } from './staff-auth.js';
import { assertCan, guarded, subjectOf } from './workflow-access.js';
import { workflowServices } from './workflow-services.js';

const schoolParams = z.strictObject({ schoolId: z.string().min(1).max(100) });
const reportParams = z.strictObject({
  schoolId: z.string().min(1).max(100),
  period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month like 2026-11'),
  format: z.enum(['pdf', 'csv']),
});
const reportQuery = z.strictObject({ version: z.enum(['full', 'governors']).default('full') });

/** The headteacher's week (dashboard) and the monthly report, for the roles that may see them. */
export const reportRoutes: FastifyPluginAsync = async (app) => {
  const { storage, clock } = app.kestrel;
  const source = () => reportSource(storage.db, storage);

  /** What the signed-in member of staff may do, per school: the UI builds its navigation from it. */
  app.get('/api/v1/workflow/me', { preHandler: requireStaff() }, async (request) => {
    const me = staffOf(request);
    const subject = subjectOf(request);
    const schools = await storage.schools.list();
    return {
      user: { id: me.user.id, displayName: me.user.displayName },
      schools: schools
        .filter((s) => me.memberships.some((m) => m.schoolId === s.id))
        .map((s) => ({
          id: s.id,
          name: s.name,
          timeZone: s.timeZone,
          // The last month that has ended at the school, in its own time zone.
          lastMonth: previousPeriod(clock.now(), s.timeZone),
          roles: me.memberships.filter((m) => m.schoolId === s.id).map((m) => m.role),
          actions: ACTIONS.filter((a) => can(subject, a, s.id)),
        })),
    };
  });

  app.get('/api/v1/schools/:schoolId/dashboard', guarded('dashboard.aggregate'), async (request) => {
    const { schoolId } = parseWith(schoolParams, request.params);
    assertCan(request, 'dashboard.aggregate', schoolId);
    const names = can(subjectOf(request), 'dashboard.names', schoolId);
    const dashboard = await buildDashboard(source(), schoolId, clock.now(), { names });
    await workflowServices(app).audit.record({
      action: 'dashboard.viewed',
      actorUserId: subjectOf(request).userId,
      targetType: 'school',
      targetId: schoolId,
      schoolId,
      details: { names },
    });
    return dashboard;
  });

  app.get(
    '/api/v1/schools/:schoolId/reports/:period.:format',
    guarded('report.aggregate'),
    async (request, reply) => {
      const { schoolId, period, format } = parseWith(reportParams, request.params);
      const { version } = parseWith(reportQuery, request.query);
      assertCan(request, 'report.aggregate', schoolId);
      const names = version === 'full' && can(subjectOf(request), 'report.full', schoolId);
      const school = await storage.schools.get(schoolId);
      if (school === undefined) throw new KestrelError('NOT_FOUND', 'No such school');
      const report = await buildMonthlyReport(source(), school, period, clock.now(), { names });
      await workflowServices(app).audit.record({
        action: 'report.downloaded',
        actorUserId: subjectOf(request).userId,
        targetType: 'school',
        targetId: schoolId,
        schoolId,
        details: { period, format, names },
      });
      const filename = `kestrel-report-${period}${names ? '' : '-governors'}.${format}`;
      reply
        .header('cache-control', 'private, no-store')
        .header('content-disposition', `attachment; filename="${filename}"`);
      if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(monthlyReportCsv(report));
      return reply.type('application/pdf').send(await renderMonthlyReportPdf(report));
    },
  );
};
