import type { Kysely, Selectable } from 'kysely';
import type {
  ActionKind,
  IllegalAnswer,
  Incident,
  IncidentStatus,
  IntentAnswer,
  PupilRole,
} from '../../domain/incidents/incident.js';
import type { IncidentsRepository } from '../../domain/incidents/incidents-repository.js';
import type { Database } from '../db/schema.js';
import type { IncidentsTable } from '../db/workflow-schema.js';
import { workflowDb } from '../db/workflow-schema.js';

const bool = (v: number | null) => (v === null ? null : v === 1);
const int = (v: boolean | null) => (v === null ? null : v ? 1 : 0);

function toIncident(r: Selectable<IncidentsTable>): Incident {
  return {
    id: r.id,
    schoolId: r.school_id,
    reference: r.reference,
    title: r.title,
    summary: r.summary,
    subjectUser: r.subject_user,
    status: r.status as IncidentStatus,
    ownerUserId: r.owner_user_id,
    openedBy: r.opened_by,
    openedAt: r.opened_at,
    updatedAt: r.updated_at,
    closedAt: r.closed_at,
    outcome: r.outcome,
    illegal: r.illegal as IllegalAnswer,
    staffInvolved: bool(r.staff_involved),
    pupilRole: r.pupil_role as PupilRole,
    intent: r.intent as IntentAnswer,
    otherPupilsInvolved: bool(r.other_pupils_involved),
    legalHold: r.legal_hold === 1,
    legalHoldReason: r.legal_hold_reason,
  };
}

function toRow(i: Incident): IncidentsTable {
  return {
    id: i.id,
    school_id: i.schoolId,
    reference: i.reference,
    title: i.title,
    summary: i.summary,
    subject_user: i.subjectUser,
    status: i.status,
    owner_user_id: i.ownerUserId,
    opened_by: i.openedBy,
    opened_at: i.openedAt,
    updated_at: i.updatedAt,
    closed_at: i.closedAt,
    outcome: i.outcome,
    illegal: i.illegal,
    staff_involved: int(i.staffInvolved),
    pupil_role: i.pupilRole,
    intent: i.intent,
    other_pupils_involved: int(i.otherPupilsInvolved),
    legal_hold: i.legalHold ? 1 : 0,
    legal_hold_reason: i.legalHoldReason,
  };
}

export function incidentsRepository(base: Kysely<Database>): IncidentsRepository {
  const db = workflowDb(base);
  return {
    async create(incident) {
      await db.insertInto('incidents').values(toRow(incident)).execute();
    },
    async get(id) {
      const r = await db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
      return r === undefined ? undefined : toIncident(r);
    },
    async update(incident) {
      const { id: _id, ...row } = toRow(incident);
      await db.updateTable('incidents').set(row).where('id', '=', incident.id).execute();
    },
    async delete(id) {
      // Children first: foreign keys cascade on SQLite only when enforcement is on, so be explicit.
      await db.deleteFrom('incident_evidence').where('incident_id', '=', id).execute();
      await db.deleteFrom('incident_notes').where('incident_id', '=', id).execute();
      await db.deleteFrom('incident_actions').where('incident_id', '=', id).execute();
      await db.deleteFrom('incidents').where('id', '=', id).execute();
    },
    async list(f) {
      if (f.schoolIds.length === 0) return [];
      let q = db
        .selectFrom('incidents')
        .selectAll()
        .where('school_id', 'in', [...f.schoolIds])
        .orderBy('opened_at', 'desc')
        .orderBy('id', 'desc')
        .limit(f.limit);
      if (f.status !== undefined) q = q.where('status', '=', f.status);
      if (f.ownerUserId !== undefined) q = q.where('owner_user_id', '=', f.ownerUserId);
      return (await q.execute()).map(toIncident);
    },
    async countForSchoolYear(schoolId, year) {
      const r = await db
        .selectFrom('incidents')
        .select((e) => e.fn.countAll<number>().as('n'))
        .where('school_id', '=', schoolId)
        .where('reference', 'like', `INC-${year}-%`)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async addNote(n) {
      await db
        .insertInto('incident_notes')
        .values({
          id: n.id,
          incident_id: n.incidentId,
          at: n.at,
          author_user_id: n.authorUserId,
          text: n.text,
        })
        .execute();
    },
    async notes(incidentId) {
      const rows = await db
        .selectFrom('incident_notes')
        .selectAll()
        .where('incident_id', '=', incidentId)
        .orderBy('at')
        .orderBy('id')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        incidentId: r.incident_id,
        at: r.at,
        authorUserId: r.author_user_id,
        text: r.text,
      }));
    },
    async addAction(a) {
      await db
        .insertInto('incident_actions')
        .values({
          id: a.id,
          incident_id: a.incidentId,
          kind: a.kind,
          taken_at: a.takenAt,
          recorded_by: a.recordedBy,
          detail: a.detail,
        })
        .execute();
    },
    async actions(incidentId) {
      const rows = await db
        .selectFrom('incident_actions')
        .selectAll()
        .where('incident_id', '=', incidentId)
        .orderBy('taken_at')
        .orderBy('id')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        incidentId: r.incident_id,
        kind: r.kind as ActionKind,
        takenAt: r.taken_at,
        recordedBy: r.recorded_by,
        detail: r.detail,
      }));
    },
    async addEvidence(e) {
      await db
        .insertInto('incident_evidence')
        .values({
          incident_id: e.incidentId,
          capture_id: e.captureId,
          added_at: e.addedAt,
          added_by: e.addedBy,
        })
        .onConflict((oc) => oc.columns(['incident_id', 'capture_id']).doNothing())
        .execute();
    },
    async removeEvidence(incidentId, captureId) {
      await db
        .deleteFrom('incident_evidence')
        .where('incident_id', '=', incidentId)
        .where('capture_id', '=', captureId)
        .execute();
    },
    async evidence(incidentId) {
      const rows = await db
        .selectFrom('incident_evidence')
        .selectAll()
        .where('incident_id', '=', incidentId)
        .orderBy('added_at')
        .orderBy('capture_id')
        .execute();
      return rows.map((r) => ({
        incidentId: r.incident_id,
        captureId: r.capture_id,
        addedAt: r.added_at,
        addedBy: r.added_by,
      }));
    },
    async incidentsForCapture(captureId) {
      const rows = await db
        .selectFrom('incidents')
        .innerJoin('incident_evidence', 'incident_evidence.incident_id', 'incidents.id')
        .selectAll('incidents')
        .where('incident_evidence.capture_id', '=', captureId)
        .execute();
      return rows.map(toIncident);
    },
    async protectedCaptureIds(schoolId) {
      const rows = await db
        .selectFrom('incident_evidence')
        .innerJoin('incidents', 'incidents.id', 'incident_evidence.incident_id')
        .select('incident_evidence.capture_id')
        .where('incidents.school_id', '=', schoolId)
        .execute();
      return new Set(rows.map((r) => r.capture_id));
    },
  };
}
