import { KestrelError } from '@kestrel/shared/errors';
import type { FastifyPluginAsync } from 'fastify';
import QRCode from 'qrcode';
import { z } from 'zod';
import { staffSecurityRepository } from '../adapters/repositories/staff-security.js';
import { CAPTURE_VIEWER_ROLES } from '../domain/capture-access.js';
import { canActOnCaptures, canViewCaptures } from '../domain/moderation/actions.js';
import { csrfTokenFor } from '../domain/moderation/csrf.js';
import { generateTotpSecret, otpauthUri, verifyTotp } from '../domain/moderation/totp.js';
import { audit } from './moderation-access.js';
import { parseWith } from './parse.js';
import { SESSION_COOKIE, requireStaff, staffOf } from './staff-auth.js';

/** What the UI needs after sign-in, two-factor enrolment, and sign-out everywhere. */
export const authRoutes: FastifyPluginAsync = async (app) => {
  const staff = { preHandler: requireStaff() };
  const security = () => staffSecurityRepository(app.kestrel.storage.db);

  app.get('/api/v1/moderation/context', staff, async (request) => {
    const p = staffOf(request);
    const schoolIds = [...new Set(p.memberships.map((m) => m.schoolId))];
    const schools = (await app.kestrel.storage.schools.list()).filter((s) => schoolIds.includes(s.id));
    const totp = await security().totp(p.user.id);
    const roles = p.memberships.map((m) => m.role);
    const role = (['dsl', 'moderator', 'headteacher', 'admin', 'technician', 'governor'] as const).find((r) =>
      roles.includes(r),
    );
    return {
      user: { id: p.user.id, email: p.user.email, role: role ?? 'none' },
      schools: schools.map((s) => ({ id: s.id, name: s.name, timeZone: s.timeZone })),
      csrfToken: csrfTokenFor(request.cookies[SESSION_COOKIE] ?? ''),
      totp: {
        enrolled: Boolean(totp?.enrolledAt),
        required: p.memberships.some((m) => CAPTURE_VIEWER_ROLES.includes(m.role)),
      },
      permissions: { viewCaptures: roles.some(canViewCaptures), actOnCaptures: roles.some(canActOnCaptures) },
    };
  });

  // A new secret each time; it replaces the enrolled one only once a code from it is confirmed.
  app.post('/api/v1/me/totp/enrolment', staff, async (request) => {
    const user = staffOf(request).user;
    const secret = generateTotpSecret();
    await security().setPendingSecret(user.id, secret);
    const uri = otpauthUri(secret, user.email);
    const qrDataUrl = await QRCode.toDataURL(uri, { margin: 1, width: 200, errorCorrectionLevel: 'M' });
    return { secret, otpauthUri: uri, qrDataUrl };
  });

  app.post('/api/v1/me/totp/enrolment/confirm', staff, async (request, reply) => {
    const sixDigits = z.string().regex(/^\d{6}$/, 'must be six digits');
    const { code, currentCode } = parseWith(
      z.strictObject({ code: sixDigits, currentCode: sixDigits.optional() }),
      request.body,
    );
    const user = staffOf(request).user;
    const state = await security().totp(user.id);
    if (!state?.pendingSecret) throw new KestrelError('CONFLICT', 'Start enrolment first');
    const now = app.kestrel.clock.now();
    // Replacing an enrolled second factor needs a code from it: a stolen session alone must not
    // be enough to move the account's second factor to someone else's phone.
    if (state.secret && state.enrolledAt) {
      if (currentCode === undefined)
        throw new KestrelError('TOTP_REQUIRED', 'Enter a code from your current authenticator to replace it');
      const currentStep = verifyTotp(state.secret, currentCode, now.getTime());
      if (currentStep === null || !(await security().claimStep(user.id, currentStep)))
        throw new KestrelError('TOTP_INVALID', 'That code from your current authenticator does not match');
    }
    const step = verifyTotp(state.pendingSecret, code, now.getTime());
    if (step === null)
      throw new KestrelError('TOTP_INVALID', 'That code does not match; check the time on your phone');
    await security().confirmSecret(user.id, state.pendingSecret, now.toISOString(), step);
    await audit(request, 'totp.enrolled', { type: 'user', id: user.id, schoolId: null });
    return reply.code(204).send();
  });

  app.post('/api/v1/session/revoke-all', staff, async (request, reply) => {
    const user = staffOf(request).user;
    const ended = await app.kestrel.storage.sessions.deleteForUser(user.id);
    await audit(request, 'session.revoked_all', { type: 'user', id: user.id, schoolId: null }, { ended });
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(200).send({ ended });
  });
};
