import { KestrelError } from '@kestrel/shared/errors';
import type { Clock } from '../ports/clock.js';
import type { Session } from '../ports/sessions-repository.js';
import type { Storage } from '../ports/storage.js';
import type { Membership, User } from '../ports/users-repository.js';
import { decoyPasswordHash, hashToken, newToken, verifyPassword } from './secrets.js';

export interface StaffPrincipal {
  user: User;
  memberships: Membership[];
  session: Session;
}

/**
 * Server-side sessions: the cookie carries a random token, the database its SHA-256. Sign-in
 * hardening (TOTP, lockout, CSRF) builds on `signIn` and `resolve` (issue 6).
 */
export class StaffSessions {
  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  /** Checks the password; answers the new session's token (for the cookie) and the user. */
  async signIn(
    email: string,
    password: string,
    // Runs after the password is proven and before a session exists (two-factor, issue 6).
    secondFactor?: (user: User) => Promise<void>,
  ): Promise<{ token: string; user: User; expiresAt: Date }> {
    const user = await this.storage.users.findByEmail(email.trim());
    // Verify against a decoy when the user is unknown, so both paths take the same time.
    const ok = await verifyPassword(password, user?.passwordHash ?? (await decoyPasswordHash()));
    if (user === undefined || !ok || user.disabledAt !== null) {
      throw new KestrelError('INVALID_CREDENTIALS', 'The email or password is wrong');
    }
    if (secondFactor !== undefined) await secondFactor(user);
    const now = this.clock.now();
    const token = newToken();
    const expiresAt = new Date(now.getTime() + this.ttlMs);
    await this.storage.transaction(async (repos) => {
      await repos.sessions.create({
        idHash: hashToken(token),
        userId: user.id,
        createdAt: now.toISOString(),
        expiresAt: expiresAt.toISOString(),
        lastSeenAt: now.toISOString(),
      });
      await repos.auditEvents.append({
        at: now.toISOString(),
        actorUserId: user.id,
        action: 'session.created',
        targetType: 'user',
        targetId: user.id,
        schoolId: null,
      });
    });
    return { token, user, expiresAt };
  }

  /** The signed-in member of staff for a cookie token, or undefined (expired, unknown, disabled). */
  async resolve(token: string | undefined): Promise<StaffPrincipal | undefined> {
    if (token === undefined || token === '' || token.length > 256) return undefined;
    const session = await this.storage.sessions.get(hashToken(token));
    const now = this.clock.now().toISOString();
    if (session === undefined) return undefined;
    if (session.expiresAt <= now) {
      await this.storage.sessions.delete(session.idHash);
      return undefined;
    }
    const user = await this.storage.users.get(session.userId);
    if (user === undefined || user.disabledAt !== null) return undefined;
    return { user, memberships: await this.storage.users.memberships(user.id), session };
  }

  async signOut(principal: StaffPrincipal): Promise<void> {
    await this.storage.sessions.delete(principal.session.idHash);
    await this.storage.auditEvents.append({
      at: this.clock.now().toISOString(),
      actorUserId: principal.user.id,
      action: 'session.deleted',
      targetType: 'user',
      targetId: principal.user.id,
      schoolId: null,
    });
  }
}
