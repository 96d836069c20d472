import { type Kysely, sql } from 'kysely';

// Migrations use Kysely<any> on purpose: they describe the schema as it was, not as the types are now.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Moderation (issue 6): queue grouping and ordering indexes, actions with undo, notes, reveals of
 * illegal-content captures, exception suggestions, TOTP secrets and sign-in failure counters.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // Assigned lazily by the queue (see moderation-queue.ts); null until then.
  await db.schema.alterTable('captures').addColumn('group_key', 'text').execute();

  // The queue: critical first, then newest. Walked backwards for DESC order by both dialects.
  await db.schema
    .createIndex('captures_queue_order')
    .on('captures')
    .columns(['status', 'severity', 'captured_at_utc', 'id'])
    .execute();
  await db.schema
    .createIndex('captures_school_queue_order')
    .on('captures')
    .columns(['school_id', 'status', 'severity', 'captured_at_utc', 'id'])
    .execute();
  // Group leads and counts: one seek per group.
  await db.schema
    .createIndex('captures_group')
    .on('captures')
    .columns(['group_key', 'status', 'severity', 'captured_at_utc', 'id'])
    .execute();
  // Finding a group to join: same school, category and term near the capture's time.
  await db.schema
    .createIndex('captures_grouping')
    .on('captures')
    .columns(['school_id', 'category', 'term', 'captured_at_utc'])
    .execute();
  // New captures waiting for a group: a partial index keeps this probe free.
  await sql`create index captures_ungrouped on captures (received_at) where group_key is null`.execute(db);
  // The same pupil's recent captures.
  await db.schema
    .createIndex('captures_pupil')
    .on('captures')
    .columns(['school_id', 'os_user', 'captured_at_utc'])
    .execute();

  await db.schema
    .createTable('moderation_actions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('actor_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('undone_at', 'text')
    .execute();
  // The queue's live-update ETag reads the newest action.
  await db.schema
    .createIndex('moderation_actions_created')
    .on('moderation_actions')
    .columns(['created_at'])
    .execute();
  await db.schema
    .createTable('moderation_action_items')
    .addColumn('action_id', 'text', (c) =>
      c.notNull().references('moderation_actions.id').onDelete('cascade'),
    )
    .addColumn('capture_id', 'text', (c) => c.notNull())
    .addColumn('school_id', 'text', (c) => c.notNull())
    .addColumn('previous_status', 'text', (c) => c.notNull())
    .addColumn('new_status', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('moderation_action_items_pk', ['action_id', 'capture_id'])
    .execute();
  await db.schema
    .createIndex('moderation_action_items_capture')
    .on('moderation_action_items')
    .columns(['capture_id'])
    .execute();

  await db.schema
    .createTable('capture_notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('capture_id', 'text', (c) => c.notNull())
    .addColumn('school_id', 'text', (c) => c.notNull())
    .addColumn('author_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('capture_notes_capture').on('capture_notes').columns(['capture_id']).execute();

  await db.schema
    .createTable('capture_reveals')
    .addColumn('capture_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('capture_reveals_pk', ['capture_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('exception_suggestions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull())
    .addColumn('capture_id', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('term', 'text', (c) => c.notNull())
    .addColumn('suggestion', 'text', (c) => c.notNull())
    .addColumn('suggested_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('exception_suggestions_school')
    .on('exception_suggestions')
    .columns(['school_id', 'status'])
    .execute();

  await db.schema
    .createTable('staff_totp')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('secret', 'text')
    .addColumn('pending_secret', 'text')
    .addColumn('enrolled_at', 'text')
    .addColumn('last_step', 'bigint')
    .execute();

  await db.schema
    .createTable('sign_in_failures')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('window_start_ms', 'bigint', (c) => c.notNull())
    .addColumn('locked_until_ms', 'bigint')
    .execute();
}

export async function down(): Promise<void> {
  // Forward-only, like every migration here.
}
