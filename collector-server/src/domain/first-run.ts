import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../ports/clock.js';
import type { Role } from '../ports/roles.js';
import type { Storage } from '../ports/storage.js';
import { hashPassword, hashToken, newToken } from './secrets.js';

export const DEFAULT_SCHOOL = { name: 'Default School', timeZone: 'Europe/London' } as const;
export const DEFAULT_ADMIN_EMAIL = 'admin@kestrel.local';
/**
 * The first account administers the collector and, so that someone can see captures on day one, is
 * the first school's DSL. Give the DSL role to the right person and remove it here in production.
 */
export const FIRST_ADMIN_ROLES: readonly Role[] = ['admin', 'dsl'];

export interface FirstRunResult {
  /** Set when this run created them; secrets are here only when generated or given now. */
  school?: { id: string; name: string };
  admin?: { email: string; password: string };
  enrolmentToken?: string;
}

/**
 * Creates what an empty database needs: a school, an administrator (only when no user exists) and
 * an enrolment token (only when none exists). Later runs change nothing and answer `{}`.
 */
export async function ensureFirstRun(
  deps: { storage: Storage; clock: Clock },
  given: { adminEmail?: string; adminPassword?: string; enrolmentToken?: string },
): Promise<FirstRunResult> {
  const now = deps.clock.now().toISOString();
  const result: FirstRunResult = {};
  const schools = await deps.storage.schools.list();
  let schoolId = schools[0]?.id;
  if (schoolId === undefined) {
    schoolId = randomUUID();
    await deps.storage.schools.create({ id: schoolId, ...DEFAULT_SCHOOL, createdAt: now });
    result.school = { id: schoolId, name: DEFAULT_SCHOOL.name };
  }
  if ((await deps.storage.users.count()) === 0) {
    const email = (given.adminEmail ?? DEFAULT_ADMIN_EMAIL).toLowerCase();
    const password = given.adminPassword ?? randomBytes(15).toString('base64url');
    const passwordHash = await hashPassword(password);
    const id = randomUUID();
    const firstSchool = schoolId;
    await deps.storage.transaction(async (repos) => {
      await repos.users.create({
        id,
        email,
        displayName: 'Administrator',
        passwordHash,
        createdAt: now,
        disabledAt: null,
      });
      for (const role of FIRST_ADMIN_ROLES)
        await repos.users.addMembership({ userId: id, schoolId: firstSchool, role });
      await repos.auditEvents.append({
        at: now,
        actorUserId: null,
        action: 'user.created',
        targetType: 'user',
        targetId: id,
        schoolId: firstSchool,
        details: { email, roles: FIRST_ADMIN_ROLES, firstRun: true },
      });
    });
    result.admin = { email, password };
  }
  if ((await deps.storage.enrolmentTokens.count()) === 0) {
    const token = given.enrolmentToken ?? newToken();
    await deps.storage.enrolmentTokens.create({
      id: randomUUID(),
      schoolId,
      tokenHash: hashToken(token),
      label: 'First enrolment token',
      createdAt: now,
      expiresAt: null,
      revokedAt: null,
    });
    result.enrolmentToken = token;
  }
  return result;
}
