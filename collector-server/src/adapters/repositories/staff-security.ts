import type { Kysely } from 'kysely';
import type { FailureRecord } from '../../domain/moderation/lockout.js';
import type { Database } from '../db/schema.js';
import { moderationDb } from './moderation-tables.js';

export interface TotpState {
  secret: string | null;
  pendingSecret: string | null;
  enrolledAt: string | null;
  lastStep: number | null;
}

/** Second-factor secrets and sign-in failure counters. */
export function staffSecurityRepository(db: Kysely<Database>) {
  const mdb = moderationDb(db);
  return {
    async totp(userId: string): Promise<TotpState | undefined> {
      const r = await mdb
        .selectFrom('staff_totp')
        .selectAll()
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return r === undefined
        ? undefined
        : {
            secret: r.secret,
            pendingSecret: r.pending_secret,
            enrolledAt: r.enrolled_at,
            lastStep: r.last_step === null ? null : Number(r.last_step),
          };
    },

    async setPendingSecret(userId: string, secret: string): Promise<void> {
      await mdb
        .insertInto('staff_totp')
        .values({ user_id: userId, secret: null, pending_secret: secret, enrolled_at: null, last_step: null })
        .onConflict((oc) => oc.column('user_id').doUpdateSet({ pending_secret: secret }))
        .execute();
    },

    async confirmSecret(userId: string, secret: string, at: string, step: number): Promise<void> {
      await mdb
        .updateTable('staff_totp')
        .set({ secret, pending_secret: null, enrolled_at: at, last_step: step })
        .where('user_id', '=', userId)
        .execute();
    },

    /** Claims a step for this user; false when it (or a later one) was already used: a replay. */
    async claimStep(userId: string, step: number): Promise<boolean> {
      const r = await mdb
        .updateTable('staff_totp')
        .set({ last_step: step })
        .where('user_id', '=', userId)
        .where((e) => e.or([e('last_step', 'is', null), e('last_step', '<', step)]))
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    async failures(key: string): Promise<FailureRecord | undefined> {
      const r = await mdb
        .selectFrom('sign_in_failures')
        .selectAll()
        .where('key', '=', key)
        .executeTakeFirst();
      return r === undefined
        ? undefined
        : {
            failures: r.failures,
            windowStartMs: Number(r.window_start_ms),
            lockedUntilMs: r.locked_until_ms === null ? null : Number(r.locked_until_ms),
          };
    },

    async putFailures(key: string, f: FailureRecord): Promise<void> {
      const values = {
        failures: f.failures,
        window_start_ms: f.windowStartMs,
        locked_until_ms: f.lockedUntilMs,
      };
      await mdb
        .insertInto('sign_in_failures')
        .values({ key, ...values })
        .onConflict((oc) => oc.column('key').doUpdateSet(values))
        .execute();
    },

    async clearFailures(key: string): Promise<void> {
      await mdb.deleteFrom('sign_in_failures').where('key', '=', key).execute();
    },
  };
}

export type StaffSecurityRepository = ReturnType<typeof staffSecurityRepository>;
