import { KestrelError } from '@kestrel/shared/errors';
import type { FastifyRequest } from 'fastify';
import { staffSecurityRepository } from '../adapters/repositories/staff-security.js';
import {
  ACCOUNT_LOCKOUT,
  IP_LOCKOUT,
  type LockoutPolicy,
  lockedForSeconds,
  recordFailure,
} from '../domain/moderation/lockout.js';
import { verifyTotp } from '../domain/moderation/totp.js';
import type { User } from '../ports/users-repository.js';

/**
 * Sign-in hardening around the core password check: throttling with temporary lockout per account
 * and per IP address, then the second factor for accounts that enrolled one (with replay protection).
 */
export async function hardenedSignIn<T>(
  request: FastifyRequest,
  body: { email: string; password: string; totp?: string | undefined },
  signIn: (secondFactor: (user: User) => Promise<void>) => Promise<T>,
): Promise<T> {
  const app = request.server;
  const security = staffSecurityRepository(app.kestrel.storage.db);
  const nowMs = app.kestrel.clock.now().getTime();
  const keys: [string, LockoutPolicy][] = [
    [`account:${body.email.trim().toLowerCase()}`, ACCOUNT_LOCKOUT],
    [`ip:${request.ip}`, IP_LOCKOUT],
  ];
  for (const [key] of keys) {
    const wait = lockedForSeconds(await security.failures(key), nowMs);
    if (wait > 0) {
      throw new KestrelError('ACCOUNT_LOCKED', 'Too many failed sign-ins; try again later', {
        headers: { 'retry-after': String(wait) },
      });
    }
  }
  const fail = async () => {
    for (const [key, policy] of keys)
      await security.putFailures(key, recordFailure(await security.failures(key), nowMs, policy));
  };
  try {
    const result = await signIn(async (user) => {
      const totp = await security.totp(user.id);
      if (!totp?.secret) return;
      if (body.totp === undefined)
        throw new KestrelError('TOTP_REQUIRED', 'Enter the code from your authenticator app');
      const step = verifyTotp(totp.secret, body.totp, nowMs, totp.lastStep);
      if (step === null || !(await security.claimStep(user.id, step))) {
        throw new KestrelError('TOTP_INVALID', 'The two-factor code is wrong or was already used');
      }
    });
    await security.clearFailures(keys[0]?.[0] ?? '');
    return result;
  } catch (err) {
    if (err instanceof KestrelError && (err.code === 'INVALID_CREDENTIALS' || err.code === 'TOTP_INVALID')) {
      await fail();
      await app.kestrel.storage.auditEvents.append({
        at: new Date(nowMs).toISOString(),
        actorUserId: null,
        action: 'session.failed',
        targetType: null,
        targetId: null,
        schoolId: null,
        details: { reason: err.code, ip: request.ip },
      });
    }
    throw err;
  }
}
