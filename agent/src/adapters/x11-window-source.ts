import { spawn, type ChildProcess } from 'node:child_process';
import { readlink } from 'node:fs/promises';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import type { SourceHealth } from '@kestrel/shared/protocol';
import type { ActiveWindow, WindowSource } from '../ports/window-source.js';

interface Watched {
  xid: string;
  spy: ChildProcess;
  title?: string;
  netTitle?: string;
  application?: string;
  pid?: number;
  process?: string;
}

const RESTART_AFTER_MS = 5000;

/**
 * The active window on X11, watched rather than polled: `xprop -spy` reports focus changes on the
 * root window and title changes on the focused one, so reading the window costs no process per
 * poll (active-win spawns three a second on X11, which alone is over the idle CPU budget).
 */
export class X11WindowSource implements WindowSource {
  private rootSpy: ChildProcess | undefined;
  private watched: Watched | undefined;
  private state: SourceHealth = { state: 'ok' };
  private failedAt = Number.NEGATIVE_INFINITY;
  private stopped = false;

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  async current(): Promise<ActiveWindow | undefined> {
    if (!this.rootSpy && !this.stopped && Date.now() - this.failedAt > RESTART_AFTER_MS) this.watchRoot();
    const w = this.watched;
    if (!w || (w.title === undefined && w.netTitle === undefined && w.application === undefined))
      return undefined;
    if (w.pid !== undefined && w.process === undefined) {
      w.process = await readlink(`/proc/${w.pid}/exe`).then(basename, () => '');
    }
    return {
      id: w.xid,
      title: w.netTitle ?? w.title ?? '',
      application: w.application ?? '',
      process: w.process || (w.application ?? ''),
    };
  }

  health(): SourceHealth {
    return this.state;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.watched?.spy.kill();
    this.rootSpy?.kill();
    this.watched = undefined;
    this.rootSpy = undefined;
  }

  private spy(args: string[], onLine: (line: string) => void): ChildProcess {
    const child = spawn('xprop', args, {
      env: { ...this.env, LC_ALL: 'C.UTF-8' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    if (child.stdout) createInterface({ input: child.stdout }).on('line', onLine);
    return child;
  }

  private watchRoot(): void {
    const root = this.spy(['-root', '-spy', '_NET_ACTIVE_WINDOW'], (line) => {
      const m = /window id # (0x[0-9a-f]+)/i.exec(line);
      this.focus(m?.[1] && Number.parseInt(m[1], 16) !== 0 ? m[1] : undefined);
    });
    const failed = (detail: string) => {
      if (this.rootSpy !== root) return;
      this.rootSpy = undefined;
      this.focus(undefined);
      if (this.stopped) return;
      this.failedAt = Date.now();
      this.state = { state: 'degraded', detail };
    };
    root.once('error', (error) => failed(`xprop cannot run: ${error.message}`));
    root.once('exit', (code) => failed(`xprop exited (${code ?? 'signal'}): no X display or window manager`));
    this.rootSpy = root;
    this.state = { state: 'ok' };
  }

  private focus(xid: string | undefined): void {
    if (this.watched?.xid === xid) return;
    this.watched?.spy.kill();
    this.watched = undefined;
    if (!xid) return;
    const watched: Watched = {
      xid,
      spy: this.spy(['-id', xid, '-spy', '_NET_WM_NAME', 'WM_NAME', 'WM_CLASS', '_NET_WM_PID'], (line) =>
        readProperty(watched, line),
      ),
    };
    watched.spy.once('error', () => undefined);
    this.watched = watched;
  }
}

/** One `xprop` line: `NAME(TYPE) = value`; strings are quoted but not escaped. */
function readProperty(w: Watched, line: string): void {
  const m = /^([A-Z_]+)\([A-Z0-9_]+\) = (.*)$/.exec(line);
  if (!m?.[1] || m[2] === undefined) return;
  const value = m[2];
  const unquote = (s: string) => (s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s);
  switch (m[1]) {
    case '_NET_WM_NAME':
      w.netTitle = unquote(value);
      break;
    case 'WM_NAME':
      w.title = unquote(value);
      break;
    case 'WM_CLASS': {
      // `"instance", "Class"`: the class is what people call the application.
      const parts = value.split('", "');
      w.application = unquote(parts.length > 1 ? `"${parts[parts.length - 1] ?? ''}` : value);
      break;
    }
    case '_NET_WM_PID':
      w.pid = Number.parseInt(value, 10);
      break;
  }
}
