import { KestrelError } from '@kestrel/shared/errors';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { webhookOptionsFrom, webhookUrlRefusal } from '../adapters/mail/http-webhook.js';
import {
  DEFAULT_ALERT_RULE,
  alertPreferencesSchema,
  alertRuleSchema,
  defaultPreferences,
} from '../domain/alerts/alert-rules.js';
import { parseWith } from './parse.js';
import { staffOf } from './staff-auth.js';
import { assertCan, guarded, subjectOf } from './workflow-access.js';
import { workflowServices } from './workflow-services.js';

const schoolParams = z.strictObject({ schoolId: z.string().min(1).max(100) });

/** Each user's alert preferences; each school's urgent-alert rule (the DSL's). */
export const alertRoutes: FastifyPluginAsync = async (app) => {
  app.get('/api/v1/alerts/preferences', guarded('alert.preferences'), async (request) => {
    const s = workflowServices(app);
    const me = staffOf(request);
    const saved = await s.alerts.preferences(me.user.id);
    return {
      ...(saved ?? defaultPreferences(me.memberships.map((m) => m.role))),
      isDefault: saved === undefined,
    };
  });

  app.put('/api/v1/alerts/preferences', guarded('alert.preferences'), async (request) => {
    const prefs = parseWith(alertPreferencesSchema, request.body);
    const s = workflowServices(app);
    await s.alerts.setPreferences(subjectOf(request).userId, prefs);
    await s.audit.record({
      action: 'alert.preferences.changed',
      actorUserId: subjectOf(request).userId,
      targetType: 'user',
      targetId: subjectOf(request).userId,
      details: prefs,
    });
    return { ...prefs, isDefault: false };
  });

  app.get('/api/v1/schools/:schoolId/alert-rule', guarded('alert.rules'), async (request) => {
    const { schoolId } = parseWith(schoolParams, request.params);
    assertCan(request, 'alert.rules', schoolId);
    const saved = await workflowServices(app).alerts.rule(schoolId);
    return { ...(saved ?? DEFAULT_ALERT_RULE), isDefault: saved === undefined };
  });

  app.put('/api/v1/schools/:schoolId/alert-rule', guarded('alert.rules'), async (request) => {
    const { schoolId } = parseWith(schoolParams, request.params);
    assertCan(request, 'alert.rules', schoolId);
    const rule = parseWith(alertRuleSchema, request.body);
    // Refused now rather than at the first urgent capture: the same rule each send applies, read
    // from the same ALLOW_INSECURE_WEBHOOKS the alert job uses.
    if (rule.webhookUrl !== null) {
      const problem = await webhookUrlRefusal(rule.webhookUrl, webhookOptionsFrom(process.env));
      if (problem !== undefined) throw new KestrelError('VALIDATION_FAILED', `webhookUrl: ${problem}`);
    }
    const s = workflowServices(app);
    await s.alerts.setRule(schoolId, rule, subjectOf(request).userId);
    await s.audit.record({
      action: 'alert.rule.changed',
      actorUserId: subjectOf(request).userId,
      targetType: 'school',
      targetId: schoolId,
      schoolId,
      details: rule,
    });
    return { ...rule, isDefault: false };
  });
};
