import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnTracked, stopProcess } from './child-processes.js';
import { freePort } from './free-port.js';
import { waitFor } from './wait.js';

const MAIN = fileURLToPath(new URL('../../../collector-server/dist/main.js', import.meta.url));

/** One item of `GET /api/v1/captures` (the fields the tests read). */
export interface StaffCapture {
  id: string;
  captureId: string;
  capturedAt: string;
  machine: string;
  user: string;
  source: string;
  category: string;
  severity: number;
  term: string;
  context: string;
  windowTitle: string;
  application: string;
  screenshotUrl: string;
}

/**
 * The real collector (`collector-server/dist/main.js`, built by `tsc --build`) on a free port
 * with its own data directory; it can be stopped and started again on the same port and data.
 */
export class CollectorProcess {
  readonly enrolmentToken = 'e2e-enrolment-token';
  readonly admin = { email: 'dsl@school.test', password: 'e2e correct horse battery staple' };
  private child: ChildProcess | undefined;
  private cookie: string | undefined;
  output = '';

  private constructor(
    readonly port: number,
    readonly dataDir: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<CollectorProcess> {
    const collector = new CollectorProcess(
      await freePort(),
      mkdtempSync(join(tmpdir(), 'kestrel-e2e-collector-')),
    );
    await collector.resume();
    return collector;
  }

  /** Starts it (again). */
  async resume(): Promise<void> {
    const child = spawnTracked(process.execPath, [MAIN], {
      env: {
        ...process.env,
        PORT: String(this.port),
        HOST: '127.0.0.1',
        DATA_DIR: this.dataDir,
        ENROLMENT_TOKEN: this.enrolmentToken,
        BOOTSTRAP_ADMIN_EMAIL: this.admin.email,
        BOOTSTRAP_ADMIN_PASSWORD: this.admin.password,
      },
    });
    child.stdout?.on('data', (c: Buffer) => (this.output += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (this.output += c.toString()));
    this.child = child;
    await waitFor(
      `the collector on ${this.url}`,
      async () => {
        if (child.exitCode !== null) throw new Error(`collector exited: ${this.output.slice(-2000)}`);
        return (await fetch(`${this.url}/healthz`)).ok;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    this.cookie = undefined;
  }

  /** Stops it; the agent sees the collector down. */
  async halt(): Promise<void> {
    if (this.child) await stopProcess(this.child);
    this.child = undefined;
  }

  /** Freezes it (SIGSTOP): connections are accepted by the kernel but nothing answers. */
  freeze(): void {
    this.child?.kill('SIGSTOP');
  }

  thaw(): void {
    this.child?.kill('SIGCONT');
  }

  async stop(): Promise<void> {
    this.thaw();
    await this.halt();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** `GET /api/v1/captures?status=unreviewed` as the bootstrap administrator. */
  async captures(): Promise<StaffCapture[]> {
    const response = await this.staffGet('/api/v1/captures?status=unreviewed&limit=100');
    const body = (await response.json()) as { items: StaffCapture[] };
    return body.items;
  }

  /** The screenshot of a capture, as staff download it. */
  async screenshot(capture: StaffCapture): Promise<{ bytes: Buffer; contentType: string }> {
    const response = await this.staffGet(capture.screenshotUrl);
    return {
      bytes: Buffer.from(await response.arrayBuffer()),
      contentType: response.headers.get('content-type') ?? '',
    };
  }

  private async staffGet(path: string): Promise<Response> {
    this.cookie ??= await this.signIn();
    const response = await fetch(`${this.url}${path}`, { headers: { cookie: this.cookie } });
    if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
    return response;
  }

  private async signIn(): Promise<string> {
    const response = await fetch(`${this.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(this.admin),
    });
    if (!response.ok) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
    const cookies = response.headers.getSetCookie().map((c) => c.split(';')[0]);
    return cookies.join('; ');
  }
}
