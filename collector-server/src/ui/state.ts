/** Client state shared by the views: the signed-in context, the queue as shown, the last action. */
import type { CaptureDetail, CaptureItem, QueueRow, UiContext } from './lib/types.js';

export interface QueueFilters {
  status: string;
  school: string;
  category: string;
  severity: string;
  machine: string;
  user: string;
  from: string;
  to: string;
  q: string;
}

export const EMPTY_FILTERS: QueueFilters = {
  status: 'unreviewed',
  school: '',
  category: '',
  severity: '',
  machine: '',
  user: '',
  from: '',
  to: '',
  q: '',
};

/** One line of the queue table: a group (lead capture) or an expanded member of a group. */
export interface FlatRow {
  kind: 'group' | 'member';
  groupKey: string;
  count: number;
  machineCount: number;
  capture: CaptureItem;
}

export const state = {
  ctx: null as UiContext | null,
  filters: { ...EMPTY_FILTERS } as QueueFilters,
  groups: [] as QueueRow[],
  members: new Map<string, CaptureItem[]>(),
  expanded: new Set<string>(),
  selected: new Set<string>(),
  focus: 0,
  nextCursor: null as string | null,
  loaded: false,
  headEtag: null as string | null,
  lastAction: null as { id: string; label: string; focus?: number } | null,
  details: new Map<string, Promise<CaptureDetail>>(),
};

export function flatRows(): FlatRow[] {
  const out: FlatRow[] = [];
  for (const g of state.groups) {
    out.push({
      kind: 'group',
      groupKey: g.groupKey,
      count: g.count,
      machineCount: g.machineCount,
      capture: g.capture,
    });
    if (state.expanded.has(g.groupKey)) {
      for (const m of state.members.get(g.groupKey) ?? []) {
        if (m.id === g.capture.id) continue;
        out.push({ kind: 'member', groupKey: g.groupKey, count: 1, machineCount: 1, capture: m });
      }
    }
  }
  return out;
}

/** Selection keys: a whole group or one capture. */
export function rowKey(row: FlatRow): string {
  return row.kind === 'group' && row.count > 1 ? `g:${row.groupKey}` : `c:${row.capture.id}`;
}

export function filtersToQuery(f: QueueFilters): URLSearchParams {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v) q.set(k, v);
  return q;
}

export function filtersFromQuery(q: URLSearchParams): QueueFilters {
  const f = { ...EMPTY_FILTERS };
  for (const key of Object.keys(f) as (keyof QueueFilters)[]) {
    const v = q.get(key);
    if (v !== null) f[key] = v;
  }
  return f;
}
