import type {
  EvidenceCapture,
  Incident,
  IncidentAction,
  IncidentEvidence,
  IncidentNote,
  IncidentStatus,
} from './incident.js';

export interface IncidentListFilter {
  schoolIds: readonly string[];
  status?: IncidentStatus;
  ownerUserId?: string;
  limit: number;
}

/** Storage for the e-safety incident log (SQL adapter in adapters/repositories). */
export interface IncidentsRepository {
  create(incident: Incident): Promise<void>;
  get(id: string): Promise<Incident | undefined>;
  update(incident: Incident): Promise<void>;
  delete(id: string): Promise<void>;
  list(filter: IncidentListFilter): Promise<Incident[]>;
  /** Highest reference number used in a school and year (for `INC-2026-0007`). */
  countForSchoolYear(schoolId: string, year: number): Promise<number>;
  addNote(note: IncidentNote): Promise<void>;
  notes(incidentId: string): Promise<IncidentNote[]>;
  addAction(action: IncidentAction): Promise<void>;
  actions(incidentId: string): Promise<IncidentAction[]>;
  addEvidence(evidence: IncidentEvidence): Promise<void>;
  removeEvidence(incidentId: string, captureId: string): Promise<void>;
  evidence(incidentId: string): Promise<IncidentEvidence[]>;
  /** Incidents a capture is evidence in (for retention and the capture view). */
  incidentsForCapture(captureId: string): Promise<Incident[]>;
  /**
   * Capture ids that are evidence in any incident of the school: evidence lives as long as its
   * incident, which retention removes only once closed, expired and not under legal hold.
   */
  protectedCaptureIds(schoolId: string): Promise<Set<string>>;
}

/** Reads captures for evidence (the core owns captures; this is the workflow's narrow view). */
export interface EvidenceCaptures {
  get(captureId: string): Promise<EvidenceCapture | undefined>;
}
