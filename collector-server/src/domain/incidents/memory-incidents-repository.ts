import type { Incident, IncidentAction, IncidentEvidence, IncidentNote } from './incident.js';
import type { IncidentListFilter, IncidentsRepository } from './incidents-repository.js';

/** In-memory incidents for domain tests. */
export class MemoryIncidentsRepository implements IncidentsRepository {
  readonly incidents = new Map<string, Incident>();
  readonly noteRows: IncidentNote[] = [];
  readonly actionRows: IncidentAction[] = [];
  evidenceRows: IncidentEvidence[] = [];

  async create(incident: Incident) {
    this.incidents.set(incident.id, { ...incident });
  }
  async get(id: string) {
    const i = this.incidents.get(id);
    return i === undefined ? undefined : { ...i };
  }
  async update(incident: Incident) {
    this.incidents.set(incident.id, { ...incident });
  }
  async delete(id: string) {
    this.incidents.delete(id);
    this.evidenceRows = this.evidenceRows.filter((e) => e.incidentId !== id);
  }
  async list(f: IncidentListFilter) {
    return [...this.incidents.values()]
      .filter((i) => f.schoolIds.includes(i.schoolId))
      .filter((i) => f.status === undefined || i.status === f.status)
      .filter((i) => f.ownerUserId === undefined || i.ownerUserId === f.ownerUserId)
      .sort((a, b) => b.openedAt.localeCompare(a.openedAt))
      .slice(0, f.limit);
  }
  async countForSchoolYear(schoolId: string, year: number) {
    return [...this.incidents.values()].filter(
      (i) => i.schoolId === schoolId && i.reference.startsWith(`INC-${year}-`),
    ).length;
  }
  async addNote(note: IncidentNote) {
    this.noteRows.push(note);
  }
  async notes(incidentId: string) {
    return this.noteRows.filter((n) => n.incidentId === incidentId);
  }
  async addAction(action: IncidentAction) {
    this.actionRows.push(action);
  }
  async actions(incidentId: string) {
    return this.actionRows.filter((a) => a.incidentId === incidentId);
  }
  async addEvidence(e: IncidentEvidence) {
    if (!this.evidenceRows.some((r) => r.incidentId === e.incidentId && r.captureId === e.captureId)) {
      this.evidenceRows.push(e);
    }
  }
  async removeEvidence(incidentId: string, captureId: string) {
    this.evidenceRows = this.evidenceRows.filter(
      (e) => !(e.incidentId === incidentId && e.captureId === captureId),
    );
  }
  async evidence(incidentId: string) {
    return this.evidenceRows.filter((e) => e.incidentId === incidentId);
  }
  async incidentsForCapture(captureId: string) {
    const ids = new Set(this.evidenceRows.filter((e) => e.captureId === captureId).map((e) => e.incidentId));
    return [...this.incidents.values()].filter((i) => ids.has(i.id));
  }
  async protectedCaptureIds(schoolId: string) {
    const ids = new Set([...this.incidents.values()].filter((i) => i.schoolId === schoolId).map((i) => i.id));
    return new Set(this.evidenceRows.filter((e) => ids.has(e.incidentId)).map((e) => e.captureId));
  }
}
