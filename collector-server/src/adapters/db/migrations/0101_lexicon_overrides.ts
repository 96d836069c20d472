import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** A school's changes to the shipped lexicon (issue 7, lexicon administration). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('lexicon_overrides')
    .addColumn('school_id', 'text', (c) => c.primaryKey().references('schools.id').onDelete('cascade'))
    .addColumn('overrides_json', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Kestrel migrations are forward-only');
}
