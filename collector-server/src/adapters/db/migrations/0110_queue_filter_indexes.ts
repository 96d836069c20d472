import type { Kysely } from 'kysely';

// Migrations use Kysely<any> on purpose: they describe the schema as it was, not as the types are now.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * The queue filtered by category (the most used filter) in triage order. Without these, a category
 * filter walks every critical capture of other categories first (found by the 1M-capture benchmark).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('captures_category_queue_order')
    .on('captures')
    .columns(['status', 'category', 'severity', 'captured_at_utc', 'id'])
    .execute();
  await db.schema
    .createIndex('captures_school_category_queue_order')
    .on('captures')
    .columns(['school_id', 'status', 'category', 'severity', 'captured_at_utc', 'id'])
    .execute();
}

export async function down(): Promise<void> {
  // Forward-only, like every migration here.
}
