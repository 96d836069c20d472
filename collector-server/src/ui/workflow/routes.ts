/** The workflow pages' routes, dispatched from main.ts before the moderation views. */
import { renderAlerts, renderAudit, renderDevices } from './admin-pages.js';
import { renderDashboard, renderReports } from './dashboard.js';
import { renderIncident, renderIncidents } from './incidents.js';
import { renderDataProtection, renderExemptions, renderLexicon } from './lexicon-pages.js';
import { mayAnywhere } from './session.js';

/** Renders a workflow page for `path` and answers true, or answers false (not a workflow page). */
export function renderWorkflowRoute(main: HTMLElement, path: string, query: URLSearchParams): boolean {
  const titled = (title: string, render: () => unknown) => {
    document.title = `${title} · Kestrel`;
    void render();
    return true;
  };
  const incident = /^\/incident\/([^/]+)$/.exec(path);
  if (incident?.[1])
    return titled('Incident', () => renderIncident(main, decodeURIComponent(incident[1] ?? '')));
  switch (path) {
    case '/dashboard':
      return titled('This week', () => renderDashboard(main, query));
    case '/incidents':
      return titled('Incidents', () => renderIncidents(main, query));
    case '/reports':
      return titled('Reports', () => renderReports(main, query));
    case '/devices':
      return titled('Devices', () => renderDevices(main, query));
    case '/audit':
      return titled('Audit log', () => renderAudit(main, query));
    case '/lexicon':
      return titled('Lexicon', () => renderLexicon(main, query));
    case '/exemptions':
      return titled('Research exemptions', () => renderExemptions(main, query));
    case '/data-protection':
      return titled('Data protection', () => renderDataProtection(main, query));
    case '/alerts':
      return titled('Alerts', () => renderAlerts(main));
    default:
      return false;
  }
}

/** Where someone who cannot triage captures lands after signing in. */
export function workflowHome(): string | null {
  if (mayAnywhere('dashboard.aggregate')) return '/dashboard';
  if (mayAnywhere('device.list')) return '/devices';
  return null;
}
