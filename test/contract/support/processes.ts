/**
 * Acceptance-test plumbing: free ports, temporary directories and child processes that are always
 * cleaned up (each test file calls `cleanUp()` in `afterAll`), so a failing test leaves nothing
 * running and nothing on disk.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: where `npm start`, `npm run match` and the rest are run from. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const dirs = new Set<string>();
const children = new Set<Proc>();

/** A port nobody listens on right now (the kernel's choice, released before returning). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A fresh temporary directory, removed by `cleanUp()`. */
export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `kestrel-acceptance-${prefix}-`));
  dirs.add(dir);
  return dir;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SpawnOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Replace the inherited environment entirely (PATH and HOME are still passed). */
  cleanEnv?: boolean;
  /** Written to stdin, which is then closed; stdin is closed at once when absent. */
  input?: string;
}

/** A child process in its own process group, with its output collected. */
export class Proc {
  readonly child: ChildProcess;
  readonly exited: Promise<Exit>;
  private out = '';
  private err = '';
  private exit: Exit | undefined;
  private readonly waiters = new Set<() => void>();

  constructor(command: string, args: string[], options: SpawnOptions = {}) {
    const base: Record<string, string | undefined> = options.cleanEnv
      ? { PATH: process.env['PATH'], HOME: process.env['HOME'] }
      : { ...process.env };
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...base, ...options.env })) if (v !== undefined) env[k] = v;
    this.child = spawn(command, args, {
      cwd: options.cwd ?? ROOT,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    children.add(this);
    this.child.stdout?.on('data', (d: Buffer) => {
      this.out += d.toString('utf8');
      this.notify();
    });
    this.child.stderr?.on('data', (d: Buffer) => {
      this.err += d.toString('utf8');
      this.notify();
    });
    this.child.stdin?.on('error', () => undefined);
    this.child.stdin?.end(options.input ?? '');
    this.exited = new Promise((resolve) => {
      this.child.on('close', (code, signal) => {
        this.exit = { code, signal };
        children.delete(this);
        this.notify();
        resolve(this.exit);
      });
      this.child.on('error', (error) => {
        this.err += `\nspawn failed: ${error.message}`;
      });
    });
  }

  get stdout(): string {
    return this.out;
  }

  get stderr(): string {
    return this.err;
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  /**
   * Resolves with the first match of `pattern` in stdout (or in stdout+stderr with `stream: 'any'`);
   * rejects, showing the output so far, if the process exits first or `timeoutMs` passes.
   */
  waitFor(pattern: RegExp, timeoutMs: number, stream: 'stdout' | 'any' = 'stdout'): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const m = pattern.exec(stream === 'stdout' ? this.out : `${this.out}\n${this.err}`);
        if (m !== null) {
          done();
          resolve(m);
          return true;
        }
        if (this.exit !== undefined) {
          done();
          reject(
            new Error(`process exited (${JSON.stringify(this.exit)}) before ${pattern}\n${this.describe()}`),
          );
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no ${pattern} within ${timeoutMs} ms\n${this.describe()}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(listener);
      };
      const listener = () => void check();
      if (!check()) this.waiters.add(listener);
    });
  }

  /** Signals the whole process group (npm, its shell and node alike) and waits for the exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<Exit> {
    if (this.exit !== undefined) return this.exit;
    this.signalGroup(signal);
    const timer = setTimeout(() => this.signalGroup('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  describe(): string {
    return `--- stdout ---\n${this.out.slice(-4000)}\n--- stderr ---\n${this.err.slice(-4000)}`;
  }

  private signalGroup(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone
    }
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }
}

/** Runs a command to its end (killed after `timeoutMs`) and returns its exit and output. */
export async function run(
  command: string,
  args: string[],
  options: SpawnOptions & { timeoutMs?: number } = {},
): Promise<Exit & { stdout: string; stderr: string }> {
  const p = new Proc(command, args, options);
  const timer = setTimeout(() => void p.stop('SIGKILL'), options.timeoutMs ?? 120_000);
  try {
    const exit = await p.exited;
    return { ...exit, stdout: p.stdout, stderr: p.stderr };
  } finally {
    clearTimeout(timer);
  }
}

/** Stops every child still running and removes every temporary directory. */
export async function cleanUp(): Promise<void> {
  await Promise.all([...children].map((c) => c.stop('SIGTERM', 5_000)));
  await Promise.all([...dirs].map((d) => rm(d, { recursive: true, force: true })));
  dirs.clear();
}

/**
 * Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`; fails at
 * once, with its output, when `watch` (a process the result depends on) has exited.
 */
export async function eventually<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
  watch?: Proc,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    if (watch !== undefined && !watch.running) {
      throw new Error(`${what}: the process exited first\n${watch.describe()}`);
    }
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${what}: not within ${timeoutMs} ms${last === undefined ? '' : ` (last error: ${String(last)})`}`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
