/** The signed-in user's workflow permissions, per school, loaded once per page load. */
import { ApiError, getJson } from '../lib/api.js';
import type { WorkflowMe, WorkflowSchool } from './types.js';

let me: WorkflowMe | null = null;

export async function loadWorkflow(): Promise<WorkflowMe | null> {
  if (me) return me;
  try {
    me = await getJson<WorkflowMe>('/api/v1/workflow/me');
  } catch (e) {
    if (e instanceof ApiError) return null;
    throw e;
  }
  return me;
}

export function workflow(): WorkflowMe | null {
  return me;
}

export function forgetWorkflow(): void {
  me = null;
}

/** Schools where the user may do `action`. */
export function schoolsFor(action: string): WorkflowSchool[] {
  return (me?.schools ?? []).filter((s) => s.actions.includes(action));
}

export function mayAnywhere(action: string): boolean {
  return schoolsFor(action).length > 0;
}

export function mayIn(action: string, schoolId: string): boolean {
  return schoolsFor(action).some((s) => s.id === schoolId);
}

/** The school picked in the URL (`?school=`), else the first allowed. */
export function pickSchool(action: string, query: URLSearchParams): WorkflowSchool | undefined {
  const allowed = schoolsFor(action);
  return allowed.find((s) => s.id === query.get('school')) ?? allowed[0];
}

/** Navigation entries the user's roles open, in the order a headteacher reads them. */
export function workflowLinks(): { href: string; label: string }[] {
  const links: { href: string; label: string }[] = [];
  if (mayAnywhere('dashboard.aggregate')) links.push({ href: '#/dashboard', label: 'This week' });
  if (mayAnywhere('incident.list')) links.push({ href: '#/incidents', label: 'Incidents' });
  if (mayAnywhere('report.aggregate')) links.push({ href: '#/reports', label: 'Reports' });
  if (mayAnywhere('device.list')) links.push({ href: '#/devices', label: 'Devices' });
  if (mayAnywhere('lexicon.view')) links.push({ href: '#/lexicon', label: 'Lexicon' });
  if (mayAnywhere('exemption.view')) links.push({ href: '#/exemptions', label: 'Exemptions' });
  if (mayAnywhere('retention.configure') || mayAnywhere('subject-access.export')) {
    links.push({ href: '#/data-protection', label: 'Data protection' });
  }
  if (mayAnywhere('audit.view')) links.push({ href: '#/audit', label: 'Audit log' });
  if (mayAnywhere('alert.preferences')) links.push({ href: '#/alerts', label: 'Alerts' });
  return links;
}
