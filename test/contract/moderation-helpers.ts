import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { staffSecurityRepository } from '../../collector-server/src/adapters/repositories/staff-security.js';
import type { KyselyStorage } from '../../collector-server/src/adapters/storage.js';
import { csrfTokenFor } from '../../collector-server/src/domain/moderation/csrf.js';
import { generateTotpSecret, totpCode, totpStep } from '../../collector-server/src/domain/moderation/totp.js';
import type { Role } from '../../collector-server/src/ports/roles.js';
import { addStaff } from './collector-helpers.js';

export const STAFF_PASSWORD = 'a long enough password';

export interface StaffUser {
  id: string;
  email: string;
  secret: string | null;
}

/** A member of staff with a confirmed second factor (unless `totp` is false). */
export async function staffWithTotp(
  storage: KyselyStorage,
  email: string,
  memberships: { schoolId: string; role: Role }[],
  totp = true,
): Promise<StaffUser> {
  const id = await addStaff(storage, email, STAFF_PASSWORD, memberships);
  if (!totp) return { id, email, secret: null };
  const secret = generateTotpSecret();
  const security = staffSecurityRepository(storage.db);
  await security.setPendingSecret(id, secret);
  // Step 0 as the last used one: the test may sign in with the current code.
  await security.confirmSecret(id, secret, new Date().toISOString(), 0);
  return { id, email, secret };
}

export interface Session {
  cookie: string;
  csrf: string;
  /** app.inject with the cookie and the CSRF header. */
  call(method: InjectOptions['method'], url: string, payload?: unknown): Promise<LightMyRequestResponse>;
}

const lastStep = new Map<string, number>();

/**
 * The code of the earliest step in the ±1 window not used yet by this user: the server refuses a
 * replayed step, so a test signing one user in several times moves forward through the window.
 */
function nextCode(user: StaffUser): string | undefined {
  if (user.secret === null) return undefined;
  const now = totpStep(Date.now());
  const step = Math.max(now - 1, (lastStep.get(user.id) ?? -Infinity) + 1);
  if (step > now + 1) throw new Error('test signed one user in more than three times in 30 seconds');
  lastStep.set(user.id, step);
  return totpCode(user.secret, step * 30_000);
}

/** Signs in, with a fresh two-factor code when the user has one. */
export async function signInAs(app: FastifyInstance, user: StaffUser): Promise<Session> {
  const totp = nextCode(user);
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/session',
    payload: { email: user.email, password: STAFF_PASSWORD, ...(totp === undefined ? {} : { totp }) },
  });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
  const token = res.cookies.find((c) => c.name === 'kestrel_session')?.value;
  if (token === undefined) throw new Error('no session cookie');
  const cookie = `kestrel_session=${token}`;
  const csrf = csrfTokenFor(token);
  return {
    cookie,
    csrf,
    call: (method, url, payload) =>
      app.inject({
        method,
        url,
        headers: { cookie, 'x-csrf-token': csrf },
        ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }),
      }),
  };
}
