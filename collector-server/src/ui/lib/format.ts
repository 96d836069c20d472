/** Display helpers: labels and time in the school's time zone. */
export const CATEGORY_LABELS: Record<string, string> = {
  illegal: 'Illegal content',
  cse: 'Child sexual exploitation',
  'sexual-content': 'Sexual content',
  'self-harm': 'Self-harm',
  suicide: 'Suicide',
  bullying: 'Bullying',
  discrimination: 'Discrimination',
  extremism: 'Extremism',
  drugs: 'Drugs',
  violence: 'Violence',
  gambling: 'Gambling',
  circumvention: 'Circumvention',
};

export const SEVERITY_LABELS: Record<number, string> = {
  1: 'Low',
  2: 'Guarded',
  3: 'Elevated',
  4: 'High',
  5: 'Critical',
};

export const STATUS_LABELS: Record<string, string> = {
  unreviewed: 'Unreviewed',
  dismissed: 'Dismissed',
  reviewed: 'Reviewed',
  escalated: 'Escalated',
};

export const SOURCE_LABELS: Record<string, string> = {
  typed: 'Typed',
  'window-title': 'Window title',
};

export function categoryLabel(id: string): string {
  return CATEGORY_LABELS[id] ?? id;
}

export function severityLabel(n: number): string {
  return `${SEVERITY_LABELS[n] ?? String(n)} (${n})`;
}

export function formatTime(iso: string, timeZone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'medium', timeStyle: 'medium' }).format(d);
  } catch {
    return d.toISOString();
  }
}

export function formatShortTime(iso: string, timeZone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat('en-GB', {
      timeZone,
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
    }).format(d);
  } catch {
    return d.toISOString();
  }
}
