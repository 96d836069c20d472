import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCrashHandler } from './crash-handler.js';
import { CRASH_REPORT_DIR } from './crash-report.js';
import { createLogFileWriter } from './log-file.js';
import { parseShellArgs } from './shell-args.js';
import { buildTrayModel } from './tray-menu-model.js';
import { SETTINGS_URL, toMenuTemplate, trayIconFile } from './tray-menu-template.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'kestrel-shell-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('toMenuTemplate', () => {
  it('shows information as disabled items and wires only the permission actions', () => {
    const model = buildTrayModel({
      connection: 'connected',
      queueLength: 0,
      excludedUser: false,
      sources: {},
      missingPermissions: ['screen-recording'],
      policyProblems: [],
      about: { version: '0.1.0' },
    });
    const actions: string[] = [];
    const template = toMenuTemplate(model.items, (action) => actions.push(action));
    expect(template[0]).toEqual({
      label: "This computer is monitored under your school's Acceptable Use Policy",
      enabled: false,
    });
    expect(template[1]).toEqual({ type: 'separator' });
    const clickable = template.filter((item) => item.click);
    expect(clickable.map((item) => item.label)).toEqual([
      'Needs Screen Recording permission (no screenshots)',
    ]);
    clickable[0]?.click?.({} as never, undefined, {} as never);
    expect(actions).toEqual(['open-screen-recording-settings']);
    expect(SETTINGS_URL['open-screen-recording-settings']).toMatch(
      /^x-apple\.systempreferences:.*Privacy_ScreenCapture$/,
    );
    const about = template.at(-1);
    expect(about?.label).toBe('About');
    expect(Array.isArray(about?.submenu) && about.submenu.every((item) => item.enabled === false)).toBe(true);
    expect(template.some((item) => item.role !== undefined)).toBe(false);
  });

  it('picks the template image on macOS and coloured variants elsewhere', () => {
    expect(trayIconFile(true, 'attention')).toBe('trayTemplate.png');
    expect(trayIconFile(false, 'attention')).toBe('tray-attention.png');
    for (const icon of ['normal', 'attention', 'paused'] as const) {
      expect(existsSync(new URL(`../../../build/icons/${trayIconFile(false, icon)}`, import.meta.url))).toBe(
        true,
      );
    }
    expect(existsSync(new URL(`../../../build/icons/${trayIconFile(true, 'normal')}`, import.meta.url))).toBe(
      true,
    );
  });
});

describe('createCrashHandler', () => {
  function handler(dataDir: string, supervised: boolean, clock: { now: number }) {
    const calls: string[] = [];
    const handle = createCrashHandler({
      dataDir,
      agentVersion: '0.1.0',
      platform: 'win32',
      supervised,
      now: () => clock.now,
      pid: 99,
      uptimeSeconds: () => 5,
      relaunch: () => calls.push('relaunch'),
      exit: (code) => calls.push(`exit ${code}`),
      log: () => {},
      policy: { maxCrashes: 2, windowMs: 60_000 },
    });
    return { handle, calls };
  }

  it('writes a report, relaunches, and exits with an error', () => {
    const dataDir = tempDir();
    const { handle, calls } = handler(dataDir, false, { now: 1_000 });
    handle('uncaughtException', new Error('boom'));
    handle('uncaughtException', new Error('again, while handling'));
    expect(calls).toEqual(['relaunch', 'exit 1']);
    expect(readdirSync(join(dataDir, CRASH_REPORT_DIR))).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(dataDir, 'crash-history.json'), 'utf8'))).toEqual([1_000]);
  });

  it('leaves restarting to launchd, and stops a crash loop across restarts', () => {
    const dataDir = tempDir();
    const clock = { now: 1_000 };
    const outcomes: string[][] = [];
    for (let i = 0; i < 3; i++) {
      clock.now += 1_000;
      const { handle, calls } = handler(dataDir, true, clock);
      handle('unhandledRejection', 'rejected');
      outcomes.push(calls);
    }
    expect(outcomes).toEqual([['exit 1'], ['exit 1'], ['exit 0']]);
  });
});

describe('parseShellArgs', () => {
  it('reads first-run settings among Chromium switches', () => {
    expect(
      parseShellArgs([
        '--no-sandbox',
        '--server',
        'https://k.example',
        '--enrolment-token=abc12345',
        '--inspect=9229',
        'x',
      ]),
    ).toEqual({ serverUrl: 'https://k.example', enrolmentToken: 'abc12345' });
    expect(parseShellArgs([])).toEqual({});
  });
});

describe('createLogFileWriter', () => {
  it('appends lines and keeps one previous file when the cap is reached', () => {
    const dir = tempDir();
    const path = join(dir, 'logs', 'agent.log');
    const write = createLogFileWriter(path, 30);
    write('first line of twenty\n');
    write('second line\n');
    write('third\n');
    expect(readFileSync(join(dir, 'logs', 'agent.1.log'), 'utf8')).toBe('first line of twenty\n');
    expect(readFileSync(path, 'utf8')).toBe('second line\nthird\n');
  });
});
