import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/** Tables the moderation module adds (migration 0010), joined onto the core schema with withTables. */
export type ModerationTables = {
  captures: Database['captures'] & { group_key: string | null };
  moderation_actions: {
    id: string;
    actor_user_id: string;
    action: string;
    reason: string | null;
    created_at: string;
    undone_at: string | null;
  };
  moderation_action_items: {
    action_id: string;
    capture_id: string;
    school_id: string;
    previous_status: string;
    new_status: string;
  };
  capture_notes: {
    id: string;
    capture_id: string;
    school_id: string;
    author_user_id: string;
    text: string;
    created_at: string;
  };
  capture_reveals: { capture_id: string; user_id: string; reason: string; created_at: string };
  exception_suggestions: {
    id: string;
    school_id: string;
    capture_id: string;
    category: string;
    term: string;
    suggestion: string;
    suggested_by: string;
    created_at: string;
    status: string;
  };
  staff_totp: {
    user_id: string;
    secret: string | null;
    pending_secret: string | null;
    enrolled_at: string | null;
    last_step: number | null;
  };
  sign_in_failures: {
    key: string;
    failures: number;
    window_start_ms: number;
    locked_until_ms: number | null;
  };
};

export type ModerationDb = Kysely<Omit<Database, 'captures'> & ModerationTables>;

export function moderationDb(db: Kysely<Database>): ModerationDb {
  return db.withTables<ModerationTables>() as unknown as ModerationDb;
}
