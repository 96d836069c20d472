import type { Kysely } from 'kysely';
import { GENESIS_HASH, computeEventHash } from '../../../domain/audit/audit-chain.js';

// Issue 7 (safeguarding workflow) owns the 0100–0199 range, so it never collides with the core's.
/* eslint-disable @typescript-eslint/no-explicit-any */

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('incidents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('subject_user', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('owner_user_id', 'text')
    .addColumn('opened_by', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .addColumn('outcome', 'text')
    .addColumn('illegal', 'text', (c) => c.notNull())
    .addColumn('staff_involved', 'integer')
    .addColumn('pupil_role', 'text', (c) => c.notNull())
    .addColumn('intent', 'text', (c) => c.notNull())
    .addColumn('other_pupils_involved', 'integer')
    .addColumn('legal_hold', 'integer', (c) => c.notNull())
    .addColumn('legal_hold_reason', 'text')
    .addUniqueConstraint('incidents_school_reference', ['school_id', 'reference'])
    .execute();
  await db.schema
    .createIndex('incidents_school_status')
    .on('incidents')
    .columns(['school_id', 'status', 'opened_at'])
    .execute();

  await db.schema
    .createTable('incident_notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('author_user_id', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('incident_notes_incident').on('incident_notes').column('incident_id').execute();

  await db.schema
    .createTable('incident_actions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('taken_at', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('incident_actions_incident')
    .on('incident_actions')
    .column('incident_id')
    .execute();

  await db.schema
    .createTable('incident_evidence')
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('capture_id', 'text', (c) => c.notNull().references('captures.id'))
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addColumn('added_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('incident_evidence_pk', ['incident_id', 'capture_id'])
    .execute();
  await db.schema
    .createIndex('incident_evidence_capture')
    .on('incident_evidence')
    .column('capture_id')
    .execute();

  await db.schema
    .createTable('alert_rules')
    .addColumn('school_id', 'text', (c) => c.primaryKey().references('schools.id').onDelete('cascade'))
    .addColumn('rule_json', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();
  await db.schema
    .createTable('alert_preferences')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('urgent_email', 'integer', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('alert_digests')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('last_sent_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('alert_deliveries')
    .addColumn('capture_id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('delivered_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('alert_deliveries_pk', ['capture_id', 'channel', 'recipient'])
    .execute();
  await db.schema.createIndex('captures_received').on('captures').columns(['received_at', 'id']).execute();

  await db.schema
    .createTable('retention_policies')
    .addColumn('school_id', 'text', (c) => c.primaryKey().references('schools.id').onDelete('cascade'))
    .addColumn('policy_json', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();
  await db.schema
    .createIndex('captures_school_status_reviewed')
    .on('captures')
    .columns(['school_id', 'status', 'reviewed_at'])
    .execute();

  await db.schema
    .createTable('exemptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('categories_json', 'text', (c) => c.notNull())
    .addColumn('device_ids_json', 'text', (c) => c.notNull())
    .addColumn('hostname_pattern', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('granted_by', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('revoked_by', 'text')
    .execute();
  await db.schema
    .createIndex('exemptions_school_expires')
    .on('exemptions')
    .columns(['school_id', 'expires_at'])
    .execute();

  await db.schema
    .createTable('report_runs')
    .addColumn('school_id', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('report_runs_pk', ['school_id', 'period'])
    .execute();

  // Chain events written before this migration, then make the chain linear by construction: no two
  // events may claim the same predecessor.
  const rows = await db.selectFrom('audit_events').selectAll().orderBy('seq').execute();
  let prev = GENESIS_HASH;
  for (const r of rows) {
    if (r.hash !== null && r.prev_hash !== null) {
      prev = r.hash;
      continue;
    }
    const hash = computeEventHash(
      {
        at: r.at,
        actorUserId: r.actor_user_id,
        actorDeviceId: r.actor_device_id,
        action: r.action,
        targetType: r.target_type,
        targetId: r.target_id,
        schoolId: r.school_id,
        details: JSON.parse(r.details_json),
      },
      prev,
    );
    await db.updateTable('audit_events').set({ prev_hash: prev, hash }).where('seq', '=', r.seq).execute();
    prev = hash;
  }
  await db.schema
    .createIndex('audit_events_prev_hash')
    .on('audit_events')
    .column('prev_hash')
    .unique()
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Kestrel migrations are forward-only');
}
