import { execFile } from 'node:child_process';
import { connect } from 'node:net';

export interface DisplayProbe {
  ok: boolean;
  detail?: string;
}

/**
 * Whether the X display in `DISPLAY` answers. The keyboard hook aborts the whole process when
 * started without one, so it is asked first: `xdpyinfo` when installed, else a socket connect.
 */
export async function probeX11Display(env: NodeJS.ProcessEnv = process.env): Promise<DisplayProbe> {
  const display = env['DISPLAY'];
  if (!display) return { ok: false, detail: 'DISPLAY is not set' };
  const answer = await run('xdpyinfo', [], env, 3000);
  if (answer.ok) return { ok: true };
  if (answer.missing) return socketProbe(display);
  return { ok: false, detail: `X display ${display} does not answer` };
}

/** Caps Lock as the X server has it (the hook reports key presses, not lock state). */
export async function readX11CapsLock(env: NodeJS.ProcessEnv = process.env): Promise<boolean | undefined> {
  const answer = await run('xset', ['q'], env, 3000);
  if (!answer.ok) return undefined;
  const m = /Caps Lock:\s+(on|off)/.exec(answer.stdout);
  return m ? m[1] === 'on' : undefined;
}

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeout: number,
): Promise<{ ok: boolean; missing: boolean; stdout: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { env, timeout, maxBuffer: 1024 * 1024 }, (error, stdout) => {
      const missing = (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
      resolve({ ok: !error, missing, stdout: String(stdout) });
    });
  });
}

function socketProbe(display: string): Promise<DisplayProbe> {
  const m = /^([^:]*):(\d+)(?:\.\d+)?$/.exec(display);
  if (!m) return Promise.resolve({ ok: false, detail: `DISPLAY ${display} is not understood` });
  const host = m[1] ?? '';
  const number = Number(m[2]);
  const target =
    host === '' || host === 'unix' ? { path: `/tmp/.X11-unix/X${number}` } : { host, port: 6000 + number };
  return new Promise((resolve) => {
    const socket = connect(target);
    const done = (probe: DisplayProbe) => {
      socket.destroy();
      resolve(probe);
    };
    socket.setTimeout(2000, () => done({ ok: false, detail: `X display ${display} timed out` }));
    socket.once('connect', () => done({ ok: true }));
    socket.once('error', () => done({ ok: false, detail: `X display ${display} does not answer` }));
  });
}
