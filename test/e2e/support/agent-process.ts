import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { exitOf, spawnTracked, stopProcess } from './child-processes.js';
import { waitFor } from './wait.js';

const HEADLESS = fileURLToPath(new URL('../../../agent/dist/headless.js', import.meta.url));

export interface AgentLogLine {
  time: string;
  level: string;
  msg: string;
  [field: string]: unknown;
}

export interface AgentProcessOptions {
  server: string;
  enrolmentToken: string;
  dataDir: string;
  /** The X display the agent watches. */
  display: string;
  extraArgs?: string[];
  /** Extra environment variables. */
  env?: NodeJS.ProcessEnv;
}

/** The headless agent (`agent/dist/headless.js`) as a child process, with its JSON-line log parsed. */
export class AgentProcess {
  readonly lines: AgentLogLine[] = [];
  stderr = '';
  private partial = '';

  private constructor(readonly child: ChildProcess) {
    child.stdout?.on('data', (chunk: Buffer) => {
      const text = this.partial + chunk.toString();
      const parts = text.split('\n');
      this.partial = parts.pop() ?? '';
      for (const line of parts) {
        if (line.trim() === '') continue;
        try {
          this.lines.push(JSON.parse(line) as AgentLogLine);
        } catch {
          this.stderr += `unparsed stdout line: ${line}\n`;
        }
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  static async start(options: AgentProcessOptions): Promise<AgentProcess> {
    const child = spawnTracked(
      process.execPath,
      [
        HEADLESS,
        '--server',
        options.server,
        '--enrolment-token',
        options.enrolmentToken,
        '--data-dir',
        options.dataDir,
        ...(options.extraArgs ?? []),
      ],
      { env: { ...process.env, ...options.env, DISPLAY: options.display } },
    );
    const agent = new AgentProcess(child);
    await agent.waitForLog('agent started', () => true, 30_000);
    return agent;
  }

  /** The first log line with this message that satisfies `match`. */
  async waitForLog(
    msg: string,
    match: (line: AgentLogLine) => boolean = () => true,
    timeoutMs = 30_000,
  ): Promise<AgentLogLine> {
    try {
      return await waitFor(
        `agent log "${msg}"`,
        () => {
          if (this.child.exitCode !== null) throw new Error(`agent exited ${this.child.exitCode}`);
          return this.lines.find((l) => l.msg === msg && match(l));
        },
        { timeoutMs },
      );
    } catch (error) {
      // The agent's own account of what happened is the best failure message.
      const tail = this.lines.slice(-30).map((l) => JSON.stringify(l));
      throw new Error(
        `${(error as Error).message}\nagent log tail:\n${tail.join('\n')}\nstderr: ${this.stderr.slice(-2000)}`,
      );
    }
  }

  logs(msg: string): AgentLogLine[] {
    return this.lines.filter((l) => l.msg === msg);
  }

  /** SIGTERM, and wait for a clean exit. */
  async stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const exit = exitOf(this.child);
    await stopProcess(this.child, 'SIGTERM', 15_000);
    return exit;
  }

  /** SIGKILL: no shutdown hook runs. */
  async kill9(): Promise<void> {
    await stopProcess(this.child, 'SIGKILL');
  }
}
