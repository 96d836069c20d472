import { sessionRequestSchema } from '@kestrel/shared/protocol';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { StaffPrincipal } from '../../domain/staff-sessions.js';
import { csrfTokenFor } from '../../domain/moderation/csrf.js';
import { hardenedSignIn } from '../auth-sign-in.js';
import { parseWith } from '../parse.js';
import { SESSION_COOKIE, requireStaff, staffOf } from '../staff-auth.js';

function secureCookie(request: FastifyRequest): boolean {
  const setting = request.server.kestrel.config.cookieSecure;
  return setting === 'auto' ? request.protocol === 'https' : setting;
}

async function describe(app: FastifyInstance, p: Pick<StaffPrincipal, 'user' | 'memberships'>) {
  const schoolIds = [...new Set(p.memberships.map((m) => m.schoolId))];
  const schools = await Promise.all(schoolIds.map((id) => app.kestrel.storage.schools.get(id)));
  return {
    user: { id: p.user.id, email: p.user.email, displayName: p.user.displayName },
    memberships: p.memberships.map((m) => ({ schoolId: m.schoolId, role: m.role })),
    schools: schools.filter((s) => s !== undefined),
  };
}

/** Staff sign-in and sign-out (session cookie), and who am I. */
export const sessionRoutes: FastifyPluginAsync = async (app) => {
  app.post('/api/v1/session', async (request: FastifyRequest, reply: FastifyReply) => {
    const body = parseWith(sessionRequestSchema, request.body);
    const { token, user, expiresAt } = await hardenedSignIn(request, body, (secondFactor) =>
      app.kestrel.sessions.signIn(body.email, body.password, secondFactor),
    );
    reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: secureCookie(request),
      path: '/',
      expires: expiresAt,
    });
    const memberships = await app.kestrel.storage.users.memberships(user.id);
    return reply.code(200).send({
      ...(await describe(app, { user, memberships })),
      expiresAt: expiresAt.toISOString(),
      csrfToken: csrfTokenFor(token),
    });
  });

  app.delete('/api/v1/session', { preHandler: requireStaff() }, async (request, reply) => {
    await app.kestrel.sessions.signOut(staffOf(request));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  app.get('/api/v1/me', { preHandler: requireStaff() }, async (request) => {
    const p = staffOf(request);
    return {
      ...(await describe(app, p)),
      expiresAt: p.session.expiresAt,
      csrfToken: csrfTokenFor(request.cookies[SESSION_COOKIE] ?? ''),
    };
  });
};
