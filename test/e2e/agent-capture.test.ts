/**
 * The headless agent on a real X server (Xvfb + openbox), typed at with xdotool in an xterm,
 * delivering to the real collector; everything is checked through the staff API.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentProcess } from './support/agent-process.js';
import { CollectorProcess, type StaffCapture } from './support/collector-process.js';
import { waitFor } from './support/wait.js';
import { XSession, type XTerminal } from './support/x-session.js';

let x: XSession | undefined;
let collector: CollectorProcess | undefined;
let agent: AgentProcess | undefined;
let terminal: XTerminal;
let dataDir: string;

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} did not start`);
  return value;
}

async function startAgent(): Promise<AgentProcess> {
  const c = need(collector, 'the collector');
  return AgentProcess.start({
    server: c.url,
    enrolmentToken: c.enrolmentToken,
    dataDir,
    display: need(x, 'the X session').display,
    // Xvfb's keymap is US; the agent must read keys the way the X server maps them.
    extraArgs: ['--keyboard-layout', 'en-US'],
  });
}

async function capturesWithTerm(term: string): Promise<StaffCapture[]> {
  return (await need(collector, 'the collector').captures()).filter((c) => c.term === term);
}

async function capturesWithId(captureId: unknown): Promise<StaffCapture[]> {
  return (await need(collector, 'the collector').captures()).filter((c) => c.captureId === captureId);
}

function queueEntries(): string[] {
  return readdirSync(join(dataDir, 'queue')).filter((f) => f.endsWith('.kq'));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(os.tmpdir(), 'kestrel-e2e-agent-'));
  x = await XSession.start();
  collector = await CollectorProcess.start();
  terminal = await x.openTerminal('Homework notes');
  agent = await startAgent();
  await agent.waitForLog('keyboard source', (l) => l.state === 'ok');
});

afterAll(async () => {
  await agent?.stop();
  await collector?.stop();
  await x?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('agent on a real X server', () => {
  it('delivers a typed phrase with machine, user, window, category and a screenshot', async () => {
    const session = need(x, 'the X session');
    await session.type('my password is hunter2\n');
    await session.type('i want to kill myself tonight\n');
    const [capture] = await waitFor('the typed capture at the collector', async () => {
      const found = await capturesWithTerm('kill myself');
      return found.length > 0 && found;
    });
    expect(capture).toMatchObject({
      machine: os.hostname(),
      user: os.userInfo().username,
      source: 'typed',
      category: 'suicide',
      term: 'kill myself',
      windowTitle: 'Homework notes',
      application: 'XTerm',
    });
    expect(capture?.context).toContain('i want to kill myself');
    expect(capture?.capturedAt).toMatch(/[+-]\d\d:\d\d$/);

    const shot = await need(collector, 'the collector').screenshot(capture as StaffCapture);
    const image = await sharp(shot.bytes).metadata();
    expect(image.format).toBe('jpeg');
    expect(image.width).toBe(1920);
    expect(image.height).toBe(1080);
    expect(shot.bytes.length).toBeLessThanOrEqual(300 * 1024);

    // Privacy: nothing typed that did not match reached the disk.
    for (const file of filesUnder(dataDir)) expect(readFileSync(file).includes('hunter2'), file).toBe(false);
    expect(need(agent, 'the agent').lines.some((l) => JSON.stringify(l).includes('hunter2'))).toBe(false);
  });

  it('captures a risky window title with no typing at all', async () => {
    const session = need(x, 'the X session');
    await session.setWindowTitle(terminal.windowId, 'suicide methods - Search');
    const [capture] = await waitFor('the window-title capture', async () => {
      const found = (await capturesWithTerm('suicide methods')).filter((c) => c.source === 'window-title');
      return found.length > 0 && found;
    });
    expect(capture).toMatchObject({
      source: 'window-title',
      category: 'suicide',
      windowTitle: 'suicide methods - Search',
      machine: os.hostname(),
    });
    await session.setWindowTitle(terminal.windowId, 'Homework notes');
  });

  it('delivers exactly once a phrase typed while the collector was down', async () => {
    const c = need(collector, 'the collector');
    const a = need(agent, 'the agent');
    await c.halt();
    await need(x, 'the X session').type('where can i buy weed\n');
    const queued = await a.waitForLog('capture queued', (l) => l.category === 'drugs');
    expect(queueEntries()).toEqual([expect.stringMatching(new RegExp(`${String(queued.captureId)}\\.kq$`))]);
    await c.resume();
    await waitFor(
      'the queued capture at the collector',
      async () => (await capturesWithId(queued.captureId)).length > 0,
      {
        timeoutMs: 90_000,
      },
    );
    await waitFor('an empty queue', () => queueEntries().length === 0);
    const delivered = await capturesWithId(queued.captureId);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatchObject({ category: 'drugs', source: 'typed', windowTitle: 'Homework notes' });
    expect(
      (await need(collector, 'the collector').captures()).filter((x) => x.category === 'drugs'),
    ).toHaveLength(1);
  });

  it('delivers exactly once a capture queued just before kill -9, after a restart', async () => {
    const c = need(collector, 'the collector');
    // A frozen collector accepts the upload's connection but never answers: the agent dies
    // with the capture on disk and, possibly, already in the collector's socket buffer.
    c.freeze();
    await need(x, 'the X session').type('how to make a bomb\n');
    const queued = await need(agent, 'the agent').waitForLog(
      'capture queued',
      (l) => l.category === 'violence',
    );
    expect(queueEntries().some((f) => f.endsWith(`${String(queued.captureId)}.kq`))).toBe(true);
    await need(agent, 'the agent').kill9();
    c.thaw();

    agent = await startAgent();
    await waitFor(
      'the capture after the restart',
      async () => (await capturesWithId(queued.captureId)).length > 0,
      {
        timeoutMs: 90_000,
      },
    );
    await agent.waitForLog('capture delivered', (l) => l.captureId === queued.captureId, 60_000);
    expect(queueEntries()).toEqual([]);
    expect(await capturesWithId(queued.captureId)).toHaveLength(1);
    expect(
      (await need(collector, 'the collector').captures()).filter((x) => x.category === 'violence'),
    ).toHaveLength(1);
  });
});
