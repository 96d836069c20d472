import { heartbeatRequestSchema } from '@kestrel/shared/protocol';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type AgentSettings } from '../config/agent-settings.js';
import { KeyValueStateStore, type KeyValueStore } from '../config/key-value-state-store.js';
import { createAgent, type AgentPorts } from '../core/agent.js';
import {
  FakeClock,
  FakeCollector,
  FakeHost,
  FakeKeystrokeSource,
  FakeScreenshotter,
  FakeWindowSource,
  MemoryLogger,
  MemoryQueueStore,
  MemoryStateStore,
  settle,
  testLexicon,
} from '../ports/fakes/index.js';
import type { Screenshotter } from '../ports/screenshotter.js';
import type { PermissionProbe } from './permission-gate.js';
import { composeShellAgent, trayStateOf, type ShellAgentDeps } from './shell-agent.js';
import { buildTrayModel } from './tray-menu-model.js';

const configured: AgentSettings = {
  ...DEFAULT_SETTINGS,
  serverUrl: 'https://collector.test',
  enrolmentToken: 'enrol-me',
  excludedUsers: ['SCHOOL\\itadmin'],
};

class FakePermissions implements PermissionProbe {
  accessibility = true;
  screen: ReturnType<PermissionProbe['getMediaAccessStatus']> = 'granted';
  isTrustedAccessibilityClient() {
    return this.accessibility;
  }
  getMediaAccessStatus() {
    return this.screen;
  }
}

function memoryKeyValue(): KeyValueStore {
  const data = new Map<string, unknown>();
  return {
    get: (k) => data.get(k),
    set: (k, v) => void data.set(k, structuredClone(v)),
    delete: (k) => void data.delete(k),
  };
}

/** The shell around the real pipeline composition root, every port a fake. */
function shellWithFakes(
  overrides: Partial<ShellAgentDeps> & {
    granted?: { accessibility: boolean; screen: 'granted' | 'denied' };
  } = {},
) {
  const clock = new FakeClock();
  const keyboard = new FakeKeystrokeSource();
  const windows = new FakeWindowSource();
  const screenshotter = new FakeScreenshotter();
  const collector = new FakeCollector();
  const permissions = new FakePermissions();
  if (overrides.granted) {
    permissions.accessibility = overrides.granted.accessibility;
    permissions.screen = overrides.granted.screen;
  }
  const servers: string[] = [];
  let ids = 0;
  const createPorts = (server: string): AgentPorts => {
    servers.push(server);
    return {
      keystrokes: keyboard,
      windows,
      screenshotter,
      queue: new MemoryQueueStore(),
      collector,
      state: new MemoryStateStore(),
      clock,
      logger: new MemoryLogger(),
      host: new FakeHost(),
    };
  };
  const shell = composeShellAgent({
    settings: configured,
    account: { username: 'pupil.one', domain: 'SCHOOL' },
    isMacos: true,
    permissions,
    createPorts,
    state: new KeyValueStateStore(memoryKeyValue()),
    createAgent,
    agentOptions: {
      agentVersion: '0.1.0-test',
      initialLexicon: testLexicon(),
      compileLexicon: () => testLexicon(),
      random: () => 0.5,
      newCaptureId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
    },
    now: () => clock.now(),
    ...overrides,
  });
  const type = async (text: string) => {
    keyboard.type(text);
    await settle();
    if (shell.kind === 'running') await shell.agent.settled();
  };
  return { shell, clock, keyboard, windows, screenshotter, collector, permissions, servers, type };
}

describe('composeShellAgent', () => {
  it('runs the pipeline against the configured collector, with local state in the key-value store', async () => {
    const t = shellWithFakes();
    if (t.shell.kind !== 'running') throw new Error('expected a running agent');
    await t.shell.agent.start();
    await t.type('i want to kill myself tonight\n');
    expect(t.servers).toEqual(['https://collector.test']);
    expect(t.collector.captures().map((c) => c.term)).toEqual(['kill myself']);
    expect(t.shell.agent.status().deviceId).toBe('device-1');
    await t.shell.agent.stop();
  });

  it('does not monitor an excluded account, and builds nothing', () => {
    const t = shellWithFakes({ account: { username: 'ITAdmin', domain: 'school' } });
    expect(t.shell).toEqual({ kind: 'excluded' });
    expect(t.servers).toEqual([]);
    const model = buildTrayModel(trayStateOf(t.shell, configured, [], '0.1.0'));
    expect(model.items[2]).toEqual({ kind: 'label', label: 'Not monitoring this account (school policy)' });
  });

  it('waits for a collector address', () => {
    const t = shellWithFakes({ settings: { ...configured, serverUrl: undefined } });
    expect(t.shell).toEqual({ kind: 'not-configured' });
    expect(trayStateOf(t.shell, DEFAULT_SETTINGS, [], '0.1.0').connection).toBe('not-configured');
  });

  it('on a Mac without permissions: no hook, no screenshot, both reported in heartbeat and tray', async () => {
    const s = shellWithFakes({ granted: { accessibility: false, screen: 'denied' } });
    const gated = s.shell;
    if (gated.kind !== 'running') throw new Error('expected a running agent');
    await gated.agent.start();
    s.keyboard.type('kill myself\n');
    await settle();
    await gated.agent.settled();
    expect(s.collector.captures()).toEqual([]);

    await s.clock.advance(3000);
    const heartbeat = heartbeatRequestSchema.parse(s.collector.heartbeats[0]);
    expect(heartbeat.health.missingPermissions).toEqual(['accessibility', 'screen-recording']);
    expect(heartbeat.health.sources.keyboard).toEqual({
      state: 'unavailable',
      detail: 'Accessibility permission not granted',
    });
    expect(heartbeat.health.sources.screenshot).toEqual({
      state: 'unavailable',
      detail: 'Screen Recording permission not granted',
    });
    const tray = trayStateOf(gated, configured, [], '0.1.0');
    expect(tray.missingPermissions).toEqual(['accessibility', 'screen-recording']);

    // Granted later (by an administrator): the hook starts without a restart.
    s.permissions.accessibility = true;
    s.permissions.screen = 'granted';
    await gated.recheckPermissions();
    s.keyboard.type('kill myself\n');
    await settle();
    await gated.agent.settled();
    await s.clock.advance(1000);
    expect(s.collector.captures().map((c) => c.term)).toEqual(['kill myself']);
    expect(s.screenshotter.taken).toBe(1);
    expect(gated.missingPermissions()).toEqual([]);
    await gated.agent.stop();
  });

  it('leaves the keyboard layout to the collector unless the machine sets one', () => {
    const unset = shellWithFakes();
    const forced = shellWithFakes({ settings: { ...configured, keyboardLayout: 'en-US' } });
    if (unset.shell.kind !== 'running' || forced.shell.kind !== 'running')
      throw new Error('expected running agents');
    expect(unset.shell.agent.status().keyboardLayout).toBe('en-GB');
    expect(forced.shell.agent.status().keyboardLayout).toBe('en-US');
  });

  it('asks for no permission off macOS', async () => {
    const t = shellWithFakes({ isMacos: false });
    t.permissions.accessibility = false;
    if (t.shell.kind !== 'running') throw new Error('expected a running agent');
    expect(t.shell.missingPermissions()).toEqual([]);
  });

  it('pauses by machine policy: nothing captured, heartbeats still say so', async () => {
    const t = shellWithFakes({ settings: { ...configured, paused: true } });
    if (t.shell.kind !== 'running') throw new Error('expected a running agent');
    await t.shell.agent.start();
    t.windows.window = {
      id: 'w9',
      title: 'how to kill myself - Search',
      application: 'Browser',
      process: 'browser',
    };
    await t.type('kill myself\n');
    await t.clock.advance(3000);
    expect(t.collector.captures()).toEqual([]);
    const heartbeat = heartbeatRequestSchema.parse(t.collector.heartbeats[0]);
    expect(heartbeat.health.paused).toBe(true);
    expect(heartbeat.health.sources.keyboard).toEqual({
      state: 'disabled',
      detail: 'paused by machine policy',
    });
    const tray = buildTrayModel(trayStateOf(t.shell, { ...configured, paused: true }, [], '0.1.0'));
    expect(tray.items[2]).toEqual({ kind: 'label', label: 'Monitoring paused by school policy' });
    await t.shell.agent.stop();
  });

  it('falls back to desktopCapturer when screenshot-desktop fails, and reports the adapter in use', async () => {
    const fallback: Screenshotter = {
      name: 'desktop-capturer',
      capture: async () => ({ bytes: new Uint8Array([7]), mediaType: 'image/jpeg', width: 10, height: 10 }),
      health: () => ({ state: 'ok' }),
    };
    const switches: string[] = [];
    const t = shellWithFakes({
      fallbackScreenshotter: fallback,
      onScreenshotterSwitch: (from, to) => switches.push(`${from}->${to}`),
    });
    if (t.shell.kind !== 'running') throw new Error('expected a running agent');
    t.screenshotter.fail = true;
    await t.shell.agent.start();
    await t.type('kill myself\n');
    await t.clock.advance(3000);
    const [capture] = [...t.collector.received.values()];
    expect(capture?.screenshot?.bytes).toEqual(new Uint8Array([7]));
    expect(t.collector.heartbeats[0]?.health.screenshotAdapter).toBe('desktop-capturer');
    expect(switches).toEqual(['fake->desktop-capturer']);
    await t.shell.agent.stop();
  });

  it('shows connected, offline with the queue, and the device id in the tray', async () => {
    const t = shellWithFakes();
    if (t.shell.kind !== 'running') throw new Error('expected a running agent');
    await t.shell.agent.start();
    await t.clock.advance(3000);
    expect(trayStateOf(t.shell, configured, [], '0.1.0')).toMatchObject({
      connection: 'connected',
      queueLength: 0,
      about: { version: '0.1.0', deviceId: 'device-1', serverUrl: 'https://collector.test' },
    });
    t.collector.online = false;
    await t.type('kill myself\n');
    await t.clock.advance(1000);
    const offline = trayStateOf(t.shell, configured, [], '0.1.0');
    expect(offline).toMatchObject({ connection: 'offline', queueLength: 1 });
    await t.shell.agent.stop();
  });
});
