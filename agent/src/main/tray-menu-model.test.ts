import { describe, expect, it } from 'vitest';
import { buildTrayModel, MONITORED_NOTICE, type TrayMenuItem, type TrayState } from './tray-menu-model.js';

const base: TrayState = {
  connection: 'connected',
  queueLength: 0,
  excludedUser: false,
  sources: { keyboard: { state: 'ok' }, window: { state: 'ok' }, screenshot: { state: 'ok' } },
  missingPermissions: [],
  policyProblems: [],
  about: { version: '0.1.0', deviceId: 'dev-7f3a', serverUrl: 'https://kestrel.example.sch.uk' },
};

function labels(items: TrayMenuItem[]): string[] {
  return items.flatMap((item) =>
    item.kind === 'separator'
      ? []
      : item.kind === 'submenu'
        ? [item.label, ...labels(item.items)]
        : [item.label],
  );
}

function status(state: Partial<TrayState>): string {
  const items = buildTrayModel({ ...base, ...state }).items;
  const line = items[2];
  if (line?.kind !== 'label') throw new Error('the status line is the third item');
  return line.label;
}

describe('buildTrayModel', () => {
  it('always opens with the monitoring notice and never offers a way to quit', () => {
    const states: Partial<TrayState>[] = [
      {},
      { connection: 'offline', queueLength: 3 },
      { pausedBy: 'machine-policy' },
      { excludedUser: true },
      { connection: 'not-configured' },
      { missingPermissions: ['accessibility', 'screen-recording'] },
    ];
    for (const state of states) {
      const model = buildTrayModel({ ...base, ...state });
      expect(model.items[0]).toEqual({ kind: 'label', label: MONITORED_NOTICE });
      const text = labels(model.items).join('\n');
      expect(text).not.toMatch(/quit|exit|close|stop|disable/i);
      expect(JSON.stringify(model.items)).not.toMatch(/"action":"(quit|exit)/);
    }
  });

  it('says connected, offline with the queue length, starting and not set up', () => {
    expect(status({})).toBe('Connected');
    expect(status({ queueLength: 2 })).toBe('Connected: sending 2 captures');
    expect(status({ connection: 'offline', queueLength: 1 })).toBe('Offline: 1 capture waiting to be sent');
    expect(status({ connection: 'offline', queueLength: 14 })).toBe(
      'Offline: 14 captures waiting to be sent',
    );
    expect(status({ connection: 'offline' })).toBe('Offline: will reconnect automatically');
    expect(status({ connection: 'starting' })).toBe('Starting…');
    expect(status({ connection: 'not-configured' })).toBe('Not set up yet: ask your IT technician');
    expect(buildTrayModel({ ...base, connection: 'not-configured' }).icon).toBe('attention');
    expect(status({ connection: 'revoked' })).toBe(
      'Removed from the school’s monitoring server: ask your IT technician',
    );
    expect(buildTrayModel({ ...base, connection: 'revoked' }).icon).toBe('attention');
  });

  it('shows a pause by policy or by the school, and an excluded account, with the paused icon', () => {
    expect(status({ pausedBy: 'machine-policy', connection: 'offline' })).toBe(
      'Monitoring paused by school policy',
    );
    expect(status({ pausedBy: 'collector' })).toBe('Monitoring paused by the school');
    expect(status({ excludedUser: true, missingPermissions: ['accessibility'] })).toBe(
      'Not monitoring this account (school policy)',
    );
    expect(buildTrayModel({ ...base, pausedBy: 'collector' }).icon).toBe('paused');
    expect(buildTrayModel({ ...base, excludedUser: true }).tooltip).toBe(
      'Kestrel: Not monitoring this account (school policy)',
    );
  });

  it('lists each source that is not working, with its detail, and flags the icon', () => {
    const model = buildTrayModel({
      ...base,
      sources: {
        keyboard: { state: 'unavailable', detail: 'no display' },
        window: { state: 'degraded' },
        screenshot: { state: 'ok' },
        network: { state: 'disabled' },
      },
    });
    expect(labels(model.items)).toEqual(
      expect.arrayContaining(['Typing: not working (no display)', 'Active window: limited']),
    );
    expect(labels(model.items).join()).not.toMatch(/Screenshots|network/);
    expect(model.icon).toBe('attention');
  });

  it('offers to open the settings for each missing macOS permission', () => {
    const model = buildTrayModel({ ...base, missingPermissions: ['accessibility', 'screen-recording'] });
    expect(model.items.filter((item) => item.kind === 'action')).toEqual([
      {
        kind: 'action',
        label: 'Needs Accessibility permission (typing is not checked)',
        action: 'open-accessibility-settings',
      },
      {
        kind: 'action',
        label: 'Needs Screen Recording permission (no screenshots)',
        action: 'open-screen-recording-settings',
      },
    ]);
    expect(model.icon).toBe('attention');
  });

  it('puts version, device id, server and any settings problems under About', () => {
    const model = buildTrayModel({
      ...base,
      about: { version: '1.2.3' },
      policyProblems: [
        { key: 'KeyboardLayout', source: 'HKLM', message: 'KeyboardLayout: Invalid option (ignored)' },
      ],
    });
    const about = model.items.at(-1);
    expect(about?.kind).toBe('submenu');
    expect(labels(about?.kind === 'submenu' ? about.items : [])).toEqual([
      'Kestrel agent 1.2.3',
      'Device ID: not enrolled yet',
      'Server: not set',
      'Settings problems (1):',
      'KeyboardLayout: Invalid option (ignored)',
    ]);
    expect(model.icon).toBe('attention');
    expect(buildTrayModel(base).icon).toBe('normal');
  });
});
