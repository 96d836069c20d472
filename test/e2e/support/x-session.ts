import { execFile, spawnSync, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { spawnTracked, stopProcess } from './child-processes.js';
import { waitFor } from './wait.js';

const run = promisify(execFile);

/** What the X end-to-end tests need, and the Debian packages that provide it. */
const TOOLS: Record<string, string> = {
  Xvfb: 'xvfb',
  openbox: 'openbox',
  xdotool: 'xdotool',
  xterm: 'xterm',
  xdpyinfo: 'x11-utils',
  xprop: 'x11-utils',
  import: 'imagemagick',
  xrandr: 'x11-xserver-utils',
};

/** Fails (never skips) when a tool is missing, naming the packages to install. */
export function requireXTools(): void {
  const missing = Object.keys(TOOLS).filter(
    (tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0,
  );
  if (missing.length > 0) {
    const packages = [...new Set(missing.map((t) => TOOLS[t]))].join(' ');
    throw new Error(
      `X end-to-end tests need ${missing.join(', ')}: install the Debian packages ${packages} (apt-get install ${packages})`,
    );
  }
}

export interface XTerminal {
  windowId: string;
  title: string;
  process: ChildProcess;
}

/** A private X server with a window manager, on a display number nobody else uses. */
export class XSession {
  private readonly children: ChildProcess[] = [];

  private constructor(
    readonly display: string,
    private readonly server: ChildProcess,
  ) {}

  /** Environment for programs that should run on this display. */
  get env(): NodeJS.ProcessEnv {
    return { ...process.env, DISPLAY: this.display };
  }

  static async start({ width = 1920, height = 1080 } = {}): Promise<XSession> {
    requireXTools();
    // -displayfd: the server picks a free display number and tells us which.
    const server = spawnTracked(
      'Xvfb',
      ['-displayfd', '3', '-screen', '0', `${width}x${height}x24`, '-nolisten', 'tcp'],
      {
        stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
      },
    );
    const number = await new Promise<string>((resolve, reject) => {
      let text = '';
      const fd3 = server.stdio[3] as NodeJS.ReadableStream;
      fd3.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('\n')) resolve(text.trim());
      });
      server.once('exit', (code) => reject(new Error(`Xvfb exited with ${code}`)));
    });
    const session = new XSession(`:${number}`, server);
    let wmOutput = '';
    try {
      await waitFor('the X server', () => session.exec('xdpyinfo', []).then(() => true), {
        timeoutMs: 15_000,
      });
      // On a saturated machine openbox has been seen to start without ever taking the display;
      // a fresh one is started rather than failing the suite.
      for (let attempt = 1; ; attempt++) {
        const wm = spawnTracked('openbox', ['--sm-disable'], { env: session.env });
        wm.stderr?.on('data', (c: Buffer) => (wmOutput += c.toString()));
        session.children.push(wm);
        try {
          await waitFor(
            'the window manager',
            async () => {
              if (wm.exitCode !== null) throw new Error(`openbox exited with ${wm.exitCode}`);
              return (await session.exec('xprop', ['-root', '_NET_SUPPORTING_WM_CHECK'])).includes(
                'window id',
              );
            },
            { timeoutMs: 10_000 },
          );
          break;
        } catch (error) {
          await stopProcess(wm);
          session.children.splice(session.children.indexOf(wm), 1);
          if (attempt === 3) throw error;
        }
      }
    } catch (error) {
      const root = await session.exec('xprop', ['-root']).catch((e: unknown) => String(e));
      await session.stop();
      throw new Error(
        `${(error as Error).message}\nroot window properties on ${session.display}:\n${root.slice(0, 1500)}\nopenbox: ${wmOutput.slice(-1000)}`,
      );
    }
    return session;
  }

  /** Runs an X client on this display and returns its output. */
  async exec(command: string, args: string[]): Promise<string> {
    const { stdout } = await run(command, args, { env: this.env, timeout: 15_000 });
    return stdout;
  }

  /**
   * Opens an xterm titled `title` that swallows what is typed, and gives it the focus. `showFile`
   * fills it with text first (a busy screen for screenshots); `geometry` is xterm's `-geometry`.
   */
  async openTerminal(
    title: string,
    options: { geometry?: string; showFile?: string } = {},
  ): Promise<XTerminal> {
    const script = options.showFile ? 'cat "$1"; cat > /dev/null' : 'cat > /dev/null';
    const args = ['-T', title, ...(options.geometry ? ['-geometry', options.geometry] : [])];
    args.push('-e', 'sh', '-c', script, 'sh', ...(options.showFile ? [options.showFile] : []));
    const child = spawnTracked('xterm', args, { env: this.env });
    this.children.push(child);
    const windowId = await waitFor('the xterm window', async () => {
      const ids = (await this.exec('xdotool', ['search', '--pid', String(child.pid)]).catch(() => ''))
        .trim()
        .split('\n');
      return ids.find((id) => id.length > 0);
    });
    await this.focus(windowId);
    return { windowId, title, process: child };
  }

  async focus(windowId: string): Promise<void> {
    await waitFor(`focus on window ${windowId}`, async () => {
      await this.exec('xdotool', ['windowactivate', windowId]).catch(() => '');
      return (await this.exec('xdotool', ['getactivewindow'])).trim() === windowId;
    });
  }

  /**
   * Types into the focused window, as a pupil would (30 ms between keys). A newline is pressed as
   * the Return key: `xdotool type` would send it through a remapped spare key code instead.
   */
  async type(text: string, delayMs = 30): Promise<void> {
    const lines = text.split('\n');
    for (const [i, line] of lines.entries()) {
      if (line.length > 0)
        await run('xdotool', ['type', '--delay', String(delayMs), line], { env: this.env, timeout: 60_000 });
      if (i < lines.length - 1) await this.key('Return');
    }
  }

  async key(...keys: string[]): Promise<void> {
    await this.exec('xdotool', ['key', ...keys]);
  }

  async setWindowTitle(windowId: string, title: string): Promise<void> {
    await this.exec('xdotool', ['set_window', '--name', title, windowId]);
  }

  async stop(): Promise<void> {
    for (const child of this.children.reverse()) await stopProcess(child);
    this.children.length = 0;
    await stopProcess(this.server);
  }
}
