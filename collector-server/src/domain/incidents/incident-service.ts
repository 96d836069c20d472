import { randomUUID } from 'node:crypto';
import { KestrelError } from '@kestrel/shared/errors';
import type { AuditEntry } from '../audit/audit-log.js';
import type { Action } from '../authz/actions.js';
import { can, schoolsWhere } from '../authz/policy.js';
import type { Subject } from '../authz/policy.js';
import { parseInput } from '../workflow/parse-input.js';
import { flowchartSteps } from './flowchart.js';
import type { FlowchartStep } from './flowchart.js';
import type { EvidenceCapture, Incident, IncidentAction, IncidentNote, IncidentStatus } from './incident.js';
import {
  closeIncidentSchema,
  legalHoldSchema,
  noteSchema,
  openIncidentSchema,
  recordActionSchema,
  updateIncidentSchema,
} from './incident-input.js';
import type { OpenIncidentInput, RecordActionInput, UpdateIncidentInput } from './incident-input.js';
import type { EvidenceCaptures, IncidentsRepository } from './incidents-repository.js';

export interface IncidentDetail {
  incident: Incident;
  notes: IncidentNote[];
  actions: IncidentAction[];
  evidence: (EvidenceCapture & { addedAt: string; addedBy: string })[];
  steps: FlowchartStep[];
}

export interface IncidentServiceDeps {
  incidents: IncidentsRepository;
  captures: EvidenceCaptures;
  audit: { record(entry: AuditEntry): Promise<number> };
  clock: { now(): Date };
  newId?: () => string;
}

/** Categories whose captures make an incident "illegal: suspected" and put it under legal hold. */
const ILLEGAL_CATEGORIES = new Set(['illegal']);

/**
 * The e-safety incident log: opened from escalated captures or by hand, the flowchart's answers,
 * actions, notes, evidence and legal hold. Every change is authorised here and audited.
 */
export class IncidentService {
  private readonly newId: () => string;

  constructor(private readonly deps: IncidentServiceDeps) {
    this.newId = deps.newId ?? randomUUID;
  }

  async list(actor: Subject, filter: { status?: IncidentStatus; schoolId?: string; limit?: number } = {}) {
    let schoolIds = schoolsWhere(actor, 'incident.list');
    if (filter.schoolId !== undefined) schoolIds = schoolIds.filter((s) => s === filter.schoolId);
    if (schoolIds.length === 0) return [];
    return this.deps.incidents.list({
      schoolIds,
      ...(filter.status === undefined ? {} : { status: filter.status }),
      limit: Math.min(Math.max(filter.limit ?? 100, 1), 500),
    });
  }

  async open(actor: Subject, raw: OpenIncidentInput): Promise<Incident> {
    const input = parseInput(openIncidentSchema, raw);
    this.require(actor, 'incident.create', input.schoolId);
    const captures = await Promise.all(input.captureIds.map((id) => this.captureIn(id, input.schoolId)));
    const now = this.now();
    const year = new Date(now).getUTCFullYear();
    const n = (await this.deps.incidents.countForSchoolYear(input.schoolId, year)) + 1;
    const illegal = captures.some((c) => ILLEGAL_CATEGORIES.has(c.category));
    const incident: Incident = {
      id: this.newId(),
      schoolId: input.schoolId,
      reference: `INC-${year}-${String(n).padStart(4, '0')}`,
      title: input.title,
      summary: input.summary,
      subjectUser: input.subjectUser ?? captures[0]?.user ?? null,
      status: 'open',
      ownerUserId: actor.userId,
      openedBy: actor.userId,
      openedAt: now,
      updatedAt: now,
      closedAt: null,
      outcome: null,
      illegal: illegal ? 'suspected' : 'unknown',
      staffInvolved: null,
      pupilRole: 'unknown',
      intent: 'unknown',
      otherPupilsInvolved: null,
      // "Save ALL evidence but DO NOT view or copy": suspected illegal material is held at once.
      legalHold: illegal,
      legalHoldReason: illegal ? 'Suspected illegal material: evidence preserved for the police' : null,
    };
    await this.deps.incidents.create(incident);
    for (const c of captures) {
      await this.deps.incidents.addEvidence({
        incidentId: incident.id,
        captureId: c.id,
        addedAt: now,
        addedBy: actor.userId,
      });
    }
    await this.audit(actor, 'incident.opened', incident, {
      captureIds: captures.map((c) => c.id),
      legalHold: illegal,
    });
    return incident;
  }

  /** Opens an incident from an escalated capture, or returns the open incident it is already in. */
  async openFromCapture(actor: Subject, captureId: string, title?: string): Promise<Incident> {
    const capture = await this.deps.captures.get(captureId);
    if (capture === undefined || !can(actor, 'incident.create', capture.schoolId)) {
      throw new KestrelError('NOT_FOUND', 'No such capture');
    }
    const existing = (await this.deps.incidents.incidentsForCapture(captureId)).find(
      (i) => i.status !== 'closed',
    );
    if (existing !== undefined) return existing;
    return this.open(actor, {
      schoolId: capture.schoolId,
      title: title ?? `${capture.category} on ${capture.machine}`,
      subjectUser: capture.user,
      captureIds: [captureId],
    });
  }

  /**
   * The incidents a capture is evidence in, for the capture's page. A capture in a school where
   * the actor may not view incidents is "not found", like any other record of another school.
   */
  async forCapture(actor: Subject, captureId: string): Promise<Incident[]> {
    const capture = await this.deps.captures.get(captureId);
    if (capture === undefined || !can(actor, 'incident.view', capture.schoolId)) {
      throw new KestrelError('NOT_FOUND', 'No such capture');
    }
    const incidents = await this.deps.incidents.incidentsForCapture(captureId);
    return incidents.filter((i) => i.schoolId === capture.schoolId);
  }

  async get(actor: Subject, id: string): Promise<IncidentDetail> {
    const incident = await this.load(actor, id, 'incident.view');
    const [notes, actions, evidenceRows] = await Promise.all([
      this.deps.incidents.notes(id),
      this.deps.incidents.actions(id),
      this.deps.incidents.evidence(id),
    ]);
    const evidence = [];
    for (const e of evidenceRows) {
      const c = await this.deps.captures.get(e.captureId);
      if (c !== undefined) evidence.push({ ...c, addedAt: e.addedAt, addedBy: e.addedBy });
    }
    await this.audit(actor, 'incident.viewed', incident);
    return {
      incident,
      notes,
      actions,
      evidence,
      steps: flowchartSteps(incident, new Set(actions.map((a) => a.kind))),
    };
  }

  async update(actor: Subject, id: string, raw: UpdateIncidentInput): Promise<Incident> {
    const patch = parseInput(updateIncidentSchema, raw);
    const incident = await this.load(actor, id, 'incident.update');
    this.requireOpen(incident);
    const changed: Record<string, unknown> = {};
    const next: Incident = { ...incident };
    for (const [key, value] of Object.entries(patch) as [keyof typeof patch, unknown][]) {
      if (value === undefined || incident[key] === value) continue;
      changed[key] = { from: incident[key], to: value };
      (next as unknown as Record<string, unknown>)[key] = value;
    }
    if (Object.keys(changed).length === 0) return incident;
    if ((patch.illegal === 'yes' || patch.illegal === 'suspected') && !incident.legalHold) {
      next.legalHold = true;
      next.legalHoldReason = 'Illegal material found or suspected: evidence preserved';
      changed['legalHold'] = { from: false, to: true };
    }
    next.updatedAt = this.now();
    await this.deps.incidents.update(next);
    await this.audit(actor, 'incident.updated', next, { changed });
    return next;
  }

  async addNote(actor: Subject, id: string, raw: { text: string }): Promise<IncidentNote> {
    const { text } = parseInput(noteSchema, raw);
    const incident = await this.load(actor, id, 'incident.update');
    const note: IncidentNote = {
      id: this.newId(),
      incidentId: id,
      at: this.now(),
      authorUserId: actor.userId,
      text,
    };
    await this.deps.incidents.addNote(note);
    await this.touch(incident);
    await this.audit(actor, 'incident.note.added', incident, { noteId: note.id });
    return note;
  }

  async recordAction(actor: Subject, id: string, raw: RecordActionInput): Promise<IncidentAction> {
    const input = parseInput(recordActionSchema, raw);
    const incident = await this.load(actor, id, 'incident.update');
    this.requireOpen(incident);
    const now = this.now();
    const action: IncidentAction = {
      id: this.newId(),
      incidentId: id,
      kind: input.kind,
      takenAt: input.takenAt ?? now,
      recordedBy: actor.userId,
      detail: input.detail,
    };
    await this.deps.incidents.addAction(action);
    if (incident.status === 'open') incident.status = 'in-progress';
    await this.touch(incident);
    await this.audit(actor, 'incident.action.recorded', incident, { actionId: action.id, kind: action.kind });
    return action;
  }

  async linkCapture(actor: Subject, id: string, captureId: string): Promise<void> {
    const incident = await this.load(actor, id, 'incident.update');
    this.requireOpen(incident);
    const capture = await this.captureIn(captureId, incident.schoolId);
    await this.deps.incidents.addEvidence({
      incidentId: id,
      captureId: capture.id,
      addedAt: this.now(),
      addedBy: actor.userId,
    });
    await this.touch(incident);
    await this.audit(actor, 'incident.evidence.linked', incident, { captureId });
  }

  async unlinkCapture(actor: Subject, id: string, captureId: string): Promise<void> {
    const incident = await this.load(actor, id, 'incident.update');
    this.requireOpen(incident);
    if (incident.legalHold)
      throw new KestrelError('LEGAL_HOLD', 'Evidence under legal hold cannot be removed');
    await this.deps.incidents.removeEvidence(id, captureId);
    await this.touch(incident);
    await this.audit(actor, 'incident.evidence.unlinked', incident, { captureId });
  }

  async setLegalHold(actor: Subject, id: string, raw: { on: boolean; reason: string }): Promise<Incident> {
    const { on, reason } = parseInput(legalHoldSchema, raw);
    const incident = await this.load(actor, id, 'incident.hold');
    const next: Incident = {
      ...incident,
      legalHold: on,
      legalHoldReason: on ? reason : null,
      updatedAt: this.now(),
    };
    await this.deps.incidents.update(next);
    await this.audit(actor, on ? 'incident.hold.placed' : 'incident.hold.lifted', next, { reason });
    return next;
  }

  async close(actor: Subject, id: string, raw: { outcome: string }): Promise<Incident> {
    const { outcome } = parseInput(closeIncidentSchema, raw);
    const incident = await this.load(actor, id, 'incident.update');
    this.requireOpen(incident);
    const now = this.now();
    const next: Incident = { ...incident, status: 'closed', outcome, closedAt: now, updatedAt: now };
    await this.deps.incidents.update(next);
    await this.audit(actor, 'incident.closed', next, { outcome });
    return next;
  }

  async reopen(actor: Subject, id: string): Promise<Incident> {
    const incident = await this.load(actor, id, 'incident.update');
    if (incident.status !== 'closed') return incident;
    const next: Incident = { ...incident, status: 'in-progress', closedAt: null, updatedAt: this.now() };
    await this.deps.incidents.update(next);
    await this.audit(actor, 'incident.reopened', next);
    return next;
  }

  /** Deleting an incident (a record opened in error) is refused while it is under legal hold. */
  async delete(actor: Subject, id: string, reason: string): Promise<void> {
    const incident = await this.load(actor, id, 'incident.hold');
    if (incident.legalHold)
      throw new KestrelError('LEGAL_HOLD', 'The incident is under legal hold and cannot be deleted');
    await this.deps.incidents.delete(id);
    await this.audit(actor, 'incident.deleted', incident, { reason });
  }

  /** Loads an incident the actor may act on; anything else is "not found" (no existence oracle). */
  async load(actor: Subject, id: string, action: Action): Promise<Incident> {
    const incident = await this.deps.incidents.get(id);
    if (incident === undefined || !can(actor, 'incident.view', incident.schoolId)) {
      throw new KestrelError('NOT_FOUND', 'No such incident');
    }
    this.require(actor, action, incident.schoolId);
    return incident;
  }

  private require(actor: Subject, action: Action, schoolId: string) {
    if (!can(actor, action, schoolId))
      throw new KestrelError('FORBIDDEN', `Your role may not ${action} here`);
  }

  private requireOpen(incident: Incident) {
    if (incident.status === 'closed')
      throw new KestrelError('CONFLICT', 'The incident is closed; reopen it first');
  }

  private async captureIn(captureId: string, schoolId: string): Promise<EvidenceCapture> {
    const c = await this.deps.captures.get(captureId);
    if (c === undefined || c.schoolId !== schoolId)
      throw new KestrelError('NOT_FOUND', `No such capture: ${captureId}`);
    return c;
  }

  private async touch(incident: Incident) {
    await this.deps.incidents.update({ ...incident, updatedAt: this.now() });
  }

  private now() {
    return this.deps.clock.now().toISOString();
  }

  private audit(actor: Subject, action: string, incident: Incident, details: Record<string, unknown> = {}) {
    return this.deps.audit.record({
      action,
      actorUserId: actor.userId,
      targetType: 'incident',
      targetId: incident.id,
      schoolId: incident.schoolId,
      details: { reference: incident.reference, ...details },
    });
  }
}
