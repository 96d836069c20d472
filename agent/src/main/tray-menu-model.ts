import type { SourceHealth } from '@kestrel/shared/protocol';
import type { PolicyProblem } from '../config/policy-problem.js';

export type Permission = 'accessibility' | 'screen-recording';

/** Everything the tray shows, gathered by the shell from the agent, the policy and the OS. */
export interface TrayState {
  /**
   * `not-configured`: no collector address from policy or first-run settings; `revoked`: the
   * collector removed this device, and only a technician re-enrols it.
   */
  connection: 'starting' | 'connected' | 'offline' | 'not-configured' | 'revoked';
  /** Captures waiting in the offline queue. */
  queueLength: number;
  /** Why monitoring is paused, if it is. */
  pausedBy?: 'machine-policy' | 'collector' | undefined;
  /** The signed-in account is in `ExcludedUsers`: the pipeline does not run. */
  excludedUser: boolean;
  sources: Readonly<Record<string, SourceHealth>>;
  missingPermissions: readonly Permission[];
  policyProblems: readonly PolicyProblem[];
  about: { version: string; deviceId?: string | undefined; serverUrl?: string | undefined };
}

/** The only things a tray item may do. There is deliberately no quit: pupils cannot stop monitoring. */
export type TrayAction = 'open-accessibility-settings' | 'open-screen-recording-settings';

export type TrayMenuItem =
  | { kind: 'label'; label: string }
  | { kind: 'separator' }
  | { kind: 'action'; label: string; action: TrayAction }
  | { kind: 'submenu'; label: string; items: TrayMenuItem[] };

export interface TrayModel {
  tooltip: string;
  /** `attention` when something needs a technician; the icon changes so it is seen at a glance. */
  icon: 'normal' | 'attention' | 'paused';
  items: TrayMenuItem[];
}

export const MONITORED_NOTICE = "This computer is monitored under your school's Acceptable Use Policy";

const SOURCE_NAMES: Record<string, string> = {
  keyboard: 'Typing',
  window: 'Active window',
  screenshot: 'Screenshots',
};
const PERMISSION_ITEMS: Record<Permission, { label: string; action: TrayAction }> = {
  accessibility: {
    label: 'Needs Accessibility permission (typing is not checked)',
    action: 'open-accessibility-settings',
  },
  'screen-recording': {
    label: 'Needs Screen Recording permission (no screenshots)',
    action: 'open-screen-recording-settings',
  },
};

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** The status line: one sentence a pupil or a technician understands. */
export function statusLine(state: TrayState): string {
  if (state.excludedUser) return 'Not monitoring this account (school policy)';
  if (state.pausedBy === 'machine-policy') return 'Monitoring paused by school policy';
  if (state.pausedBy === 'collector') return 'Monitoring paused by the school';
  switch (state.connection) {
    case 'not-configured':
      return 'Not set up yet: ask your IT technician';
    case 'starting':
      return 'Starting…';
    case 'revoked':
      return 'Removed from the school’s monitoring server: ask your IT technician';
    case 'offline':
      return state.queueLength > 0
        ? `Offline: ${plural(state.queueLength, 'capture')} waiting to be sent`
        : 'Offline: will reconnect automatically';
    case 'connected':
      return state.queueLength > 0
        ? `Connected: sending ${plural(state.queueLength, 'capture')}`
        : 'Connected';
  }
}

/** Sources that should work but do not; `disabled` ones were turned off on purpose. */
function brokenSources(state: TrayState): string[] {
  return Object.entries(state.sources)
    .filter(([, health]) => health.state === 'degraded' || health.state === 'unavailable')
    .map(([name, health]) => {
      const title = SOURCE_NAMES[name] ?? name;
      const what = health.state === 'degraded' ? 'limited' : 'not working';
      return health.detail ? `${title}: ${what} (${health.detail})` : `${title}: ${what}`;
    });
}

/** Builds the tray from the state: pure, so every status is tested without Electron. */
export function buildTrayModel(state: TrayState): TrayModel {
  const status = statusLine(state);
  const broken = state.excludedUser ? [] : brokenSources(state);
  const permissions = state.excludedUser ? [] : state.missingPermissions;

  const items: TrayMenuItem[] = [{ kind: 'label', label: MONITORED_NOTICE }, { kind: 'separator' }];
  items.push({ kind: 'label', label: status });
  for (const line of broken) items.push({ kind: 'label', label: line });
  for (const permission of permissions) items.push({ kind: 'action', ...PERMISSION_ITEMS[permission] });
  items.push({ kind: 'separator' });

  const about: TrayMenuItem[] = [
    { kind: 'label', label: `Kestrel agent ${state.about.version}` },
    { kind: 'label', label: `Device ID: ${state.about.deviceId ?? 'not enrolled yet'}` },
    { kind: 'label', label: `Server: ${state.about.serverUrl ?? 'not set'}` },
  ];
  if (state.policyProblems.length > 0) {
    about.push(
      { kind: 'separator' },
      { kind: 'label', label: `Settings problems (${state.policyProblems.length}):` },
    );
    for (const problem of state.policyProblems) about.push({ kind: 'label', label: problem.message });
  }
  items.push({ kind: 'submenu', label: 'About', items: about });

  const needsAttention =
    broken.length > 0 ||
    permissions.length > 0 ||
    state.policyProblems.length > 0 ||
    ((state.connection === 'not-configured' || state.connection === 'revoked') && !state.excludedUser);
  const paused = state.excludedUser || state.pausedBy !== undefined;
  return {
    tooltip: `Kestrel: ${status}`,
    icon: needsAttention ? 'attention' : paused ? 'paused' : 'normal',
    items,
  };
}
