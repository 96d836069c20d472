/**
 * The Electron tray shell: lifecycle, tray, policy loading and wiring. Every decision lives in a
 * tested module beside this file; this one only hands them Electron's APIs.
 */
import { mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, desktopCapturer, Menu, nativeImage, screen, shell, systemPreferences, Tray } from 'electron';
import { agentVersion } from '../adapters/agent-version.js';
import { JsonLineLogger } from '../adapters/json-line-logger.js';
import { createCrashHandler } from './crash-handler.js';
import { DesktopCapturerScreenshotter } from './desktop-capturer-screenshotter.js';
import { electronStoreKeyValue } from './electron-store-key-value.js';
import { createLogFileWriter } from './log-file.js';
import { startShell } from './shell-startup.js';
import { buildTrayModel } from './tray-menu-model.js';
import { SETTINGS_URL, toMenuTemplate, trayIconFile } from './tray-menu-template.js';

// The one place that reads the platform; modules receive what they need from it.
const platform = process.platform;
const isMacos = platform === 'darwin';
const PERMISSION_RECHECK_MS = 30_000;
const DATA_DIR_NAME = 'Kestrel Agent';

// Held for the life of the process: a tray that is garbage-collected disappears from the screen.
const trays: Tray[] = [];

// A tray agent draws nothing worth a GPU process, and GPU drivers are a common crash source.
app.disableHardwareAcceleration();

// One agent per session: a second launch (Run key and LaunchAgent both, or a pupil double-click)
// exits cleanly, which launchd's KeepAlive (SuccessfulExit = false) does not restart.
if (!app.requestSingleInstanceLock()) {
  app.exit(0);
} else {
  void main();
}

async function main(): Promise<void> {
  // Per-user, named for people (not after the npm package): %APPDATA%\Kestrel Agent on Windows,
  // ~/Library/Application Support/Kestrel Agent on macOS. Per user, so one pupil's queued captures
  // are never readable from the next pupil's session.
  app.setPath('userData', join(app.getPath('appData'), DATA_DIR_NAME));
  const dataDir = app.getPath('userData');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const logger = new JsonLineLogger('info', createLogFileWriter(join(dataDir, 'logs', 'agent.log')));

  const onCrash = createCrashHandler({
    dataDir,
    agentVersion: agentVersion(),
    platform,
    // launchd sets this for the jobs it starts: it will restart us itself.
    supervised: isMacos && process.env.XPC_SERVICE_NAME === 'uk.org.kestrel.agent',
    now: () => Date.now(),
    pid: process.pid,
    uptimeSeconds: () => process.uptime(),
    relaunch: () => app.relaunch(),
    exit: (code) => app.exit(code),
    log: (message, fields) => logger.error(message, fields),
  });
  process.on('uncaughtException', (error) => onCrash('uncaughtException', error));
  process.on('unhandledRejection', (reason) => onCrash('unhandledRejection', reason));

  app.on('window-all-closed', () => {});
  await app.whenReady();
  // No window, no Dock icon: the tray is the whole interface (LSUIElement in the packaged app).
  app.dock?.hide();

  const { shellAgent, trayState } = await startShell({
    platform,
    dataDir,
    argv: process.argv.slice(1),
    env: process.env,
    account: { username: userInfo().username, domain: process.env.USERDOMAIN },
    keyValue: electronStoreKeyValue(dataDir),
    permissions: systemPreferences,
    fallbackScreenshotter: new DesktopCapturerScreenshotter({
      getSources: (options) => desktopCapturer.getSources(options),
      getAllDisplays: () => screen.getAllDisplays(),
    }),
    logger,
  });

  const iconsDir = app.isPackaged
    ? join(process.resourcesPath, 'icons')
    : join(dirname(fileURLToPath(import.meta.url)), '../../../build/icons');
  const icon = new Tray(nativeImage.createFromPath(join(iconsDir, trayIconFile(isMacos, 'normal'))));
  trays.push(icon);
  let shownIcon = 'normal';
  const render = () => {
    const model = buildTrayModel(trayState());
    if (model.icon !== shownIcon) {
      shownIcon = model.icon;
      icon.setImage(nativeImage.createFromPath(join(iconsDir, trayIconFile(isMacos, model.icon))));
    }
    icon.setToolTip(model.tooltip);
    icon.setContextMenu(
      Menu.buildFromTemplate(
        toMenuTemplate(model.items, (action) => void shell.openExternal(SETTINGS_URL[action])),
      ),
    );
  };
  render();

  if (shellAgent.kind !== 'running') return;
  shellAgent.agent.onStatusChange(render);
  if (isMacos) {
    setInterval(() => void shellAgent.recheckPermissions().then(render), PERMISSION_RECHECK_MS).unref();
  }
  // Log-out and shut-down: finish the queue write in progress before the session ends.
  let stopping = false;
  app.on('before-quit', (event) => {
    if (stopping) return;
    stopping = true;
    event.preventDefault();
    const deadline = setTimeout(() => app.exit(0), 10_000);
    void shellAgent.agent.stop().finally(() => {
      clearTimeout(deadline);
      app.exit(0);
    });
  });
  await shellAgent.agent.start();
  render();
}
