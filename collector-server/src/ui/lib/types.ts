/** Shapes of the staff API answers the UI reads (see docs/moderation.md). */
export interface CaptureItem {
  id: string;
  schoolId: string;
  schoolName: string;
  timeZone: string;
  captureId: string;
  capturedAt: string;
  machine: string;
  user: string;
  source: string;
  category: string;
  severity: number;
  term: string;
  context: string;
  windowTitle: string;
  application: string;
  url: string | null;
  status: string;
  groupKey: string | null;
  /** Illegal-category capture not revealed to this user: only the blurred image may be shown. */
  hidden: boolean;
  screenshotUrl: string;
  thumbnailUrl: string | null;
}

export interface QueueRow {
  groupKey: string;
  count: number;
  machineCount: number;
  capture: CaptureItem;
}

export interface QueuePage {
  items: QueueRow[];
  nextCursor: string | null;
}

export interface NoteItem {
  id: string;
  author: string;
  text: string;
  createdAt: string;
}

export interface HistoryItem {
  id: string;
  action: string;
  actor: string;
  reason: string | null;
  createdAt: string;
  undone: boolean;
}

export interface CaptureDetail {
  capture: CaptureItem;
  notes: NoteItem[];
  history: HistoryItem[];
  recent: CaptureItem[];
  canAct: boolean;
}

export interface SchoolInfo {
  id: string;
  name: string;
  timeZone: string;
}

export interface UiContext {
  user: { id: string; email: string; role: string };
  schools: SchoolInfo[];
  csrfToken: string;
  totp: { enrolled: boolean; required: boolean };
  permissions: { viewCaptures: boolean; actOnCaptures: boolean };
}

export interface ActionResult {
  actionId: string;
  affected: number;
  status: string;
}
