/**
 * Agent benchmark (docs/benchmarks.md, "Agent").
 *
 * 1. Per-keystroke pipeline cost, in process: the core pipeline with fakes of every port and the
 *    real default lexicon, fed key down/up events; its peer is the lexicon stream alone fed the
 *    same characters (the ratio is the pipeline's own overhead).
 * 2. Match-to-queued latency, in process: one match at a time through the durable fs queue, with
 *    a fake screenshotter and with each real one (screenshot-desktop + sharp, and the X11 adapter,
 *    ImageMagick import alone) on an Xvfb display showing a screen full of text.
 * 3. The headless agent as a process on Xvfb + openbox with the real collector: CPU (its own and
 *    its helper processes', from /proc/<pid>/stat) and RSS (/proc/<pid>/status) idle for 60 s and
 *    under steady xdotool typing for ~30 s, with the match-to-queued latency of the captures that
 *    typing makes (from the agent's `capture queued` log lines). Peer: a bare Node process idling.
 *    A second agent repeats the typing run, and the latencies of both are pooled.
 *
 * Seconds are configurable: KESTREL_BENCH_AGENT_IDLE_SECONDS (60), KESTREL_BENCH_AGENT_TYPING_SECONDS (30).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileLexicon, loadDefaultLexicon } from '@kestrel/shared/lexicon';
import { DesktopScreenshotter } from '../agent/src/adapters/desktop-screenshotter.js';
import { FsQueueStore } from '../agent/src/adapters/fs-queue-store.js';
import { X11ImportScreenshotter } from '../agent/src/adapters/x11-import-screenshotter.js';
import { agentWithFakes } from '../agent/src/ports/fakes/agent-harness.js';
import { FakeKeystrokeSource } from '../agent/src/ports/fakes/fake-keystroke-source.js';
import type { InputEvent } from '../agent/src/ports/keystroke-source.js';
import type { Screenshotter } from '../agent/src/ports/screenshotter.js';
import { AgentProcess } from '../test/e2e/support/agent-process.js';
import { stopProcess } from '../test/e2e/support/child-processes.js';
import { CollectorProcess } from '../test/e2e/support/collector-process.js';
import { sleep } from '../test/e2e/support/wait.js';
import { XSession } from '../test/e2e/support/x-session.js';

const IDLE_SECONDS = Number(process.env['KESTREL_BENCH_AGENT_IDLE_SECONDS'] ?? 60);
const TYPING_SECONDS = Number(process.env['KESTREL_BENCH_AGENT_TYPING_SECONDS'] ?? 30);
const CLOCK_TICKS = 100; // USER_HZ on Linux

const BENIGN = [
  'the history essay is due on friday and i still need to read chapter four',
  'photosynthesis turns light water and carbon dioxide into glucose and oxygen',
  'can we meet in the library after lunch to finish the geography project',
  'my favourite book this term was about a girl who sails around the world',
];
// Distinct phrases, each a match in the default lexicon (one capture each: no de-duplication).
const RISKY = [
  'i want to kill myself',
  'where can i buy weed',
  'how to make a bomb',
  'suicide methods',
  'get past the school proxy',
  'online casino',
  'how to buy a gun',
  'nobody would miss me',
  'i want to die',
  'cutting myself',
  'send me nudes',
  'how to join isis',
  'buy cocaine',
  'kill yourself',
  'you are a fat slag',
  'pro ana tips',
];

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};
const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

/** CPU ticks of a process and every descendant, alive or reaped. */
function treeTicks(pid: number): number {
  let total = 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime, stime, cutime, cstime (fields 14-17, counted from the state field as 3).
    total += [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i] ?? 0), 0);
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      for (const child of children.split(' ').filter(Boolean)) total += treeTicks(Number(child));
    }
  } catch {
    // Gone between listing and reading: its time is in its parent's cutime once reaped.
  }
  return total;
}

function memory(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

async function cpuOver(pid: number, seconds: number, during?: () => Promise<void>): Promise<number> {
  const t0 = treeTicks(pid);
  const w0 = performance.now();
  await Promise.all([sleep(seconds * 1000), during?.()]);
  const t1 = treeTicks(pid);
  const elapsed = (performance.now() - w0) / 1000;
  return ((t1 - t0) / CLOCK_TICKS / elapsed) * 100;
}

async function keystrokeCost(): Promise<void> {
  const lexicon = compileLexicon(loadDefaultLexicon());
  const text = `${BENIGN.join('\n')}\n`.repeat(60);
  const keys = [...text].length;

  // The key events are made first, so the fake keyboard's own work is not timed.
  const recorder = new FakeKeystrokeSource();
  const events: InputEvent[] = [];
  await recorder.start((e) => events.push(e));
  recorder.type(text);

  const t = agentWithFakes({ lexicon, layout: 'en-GB' });
  await t.agent.start();
  const stream = lexicon.createStream({ maxBuffer: 512 });
  const pipeline = () => {
    for (const e of events) t.keyboard.emit(e);
  };
  const engine = () => {
    for (const c of text) {
      if (c === '\n') {
        stream.flush();
        stream.reset();
      } else stream.push(c);
    }
  };
  // Best of several alternating rounds: the machine is shared, and the minimum is the least disturbed.
  const best = { pipeline: Infinity, engine: Infinity };
  for (let round = 0; round < 7; round++) {
    for (const [name, fn] of [
      ['pipeline', pipeline],
      ['engine', engine],
    ] as const) {
      const start = performance.now();
      fn();
      best[name] = Math.min(best[name], ((performance.now() - start) * 1000) / keys);
    }
  }
  await t.agent.stop();
  const pipelineUs = best.pipeline;
  const engineUs = best.engine;
  console.log(`per-keystroke pipeline cost (fakes, default lexicon, ${keys} keys): ${fmt(pipelineUs, 2)} µs`);
  console.log(
    `  peer, lexicon stream alone: ${fmt(engineUs, 2)} µs (pipeline/engine ${fmt(pipelineUs / engineUs, 2)}×)`,
  );
}

/** One match at a time, each in a new window (the same term in one window is de-duplicated). */
async function latencyInProcess(screenshotter: Screenshotter | undefined, rounds = 30) {
  const dir = mkdtempSync(join(tmpdir(), 'kestrel-bench-queue-'));
  const t = agentWithFakes({ queue: new FsQueueStore({ dir, now: () => Date.now() }) });
  t.collector.online = false; // the way to the queue, not the upload
  if (screenshotter) t.screenshotter.capture = () => screenshotter.capture();
  await t.agent.start();
  const latencies: number[] = [];
  for (let i = 0; i < rounds; i++) {
    t.windows.window = { id: `w${i}`, title: `Notes ${i}`, application: 'Notes', process: 'notes' };
    await t.clock.advance(1000);
    const before = performance.now();
    t.keyboard.type('i want to kill myself ');
    await t.agent.settled();
    latencies.push(performance.now() - before);
  }
  const sizes: number[] = [];
  for (const ref of await t.queue.list()) {
    const entry = await t.queue.read(ref.captureId);
    if (entry?.screenshot) sizes.push(entry.screenshot.bytes.length);
  }
  await t.agent.stop();
  rmSync(dir, { recursive: true, force: true });
  return { latencies, maxKb: Math.max(...sizes) / 1024 };
}

async function inProcessLatency(display: string): Promise<void> {
  const fake = await latencyInProcess(undefined);
  process.env['DISPLAY'] = display;
  const desktop = await latencyInProcess(new DesktopScreenshotter());
  const x11 = await latencyInProcess(new X11ImportScreenshotter());
  const line = (what: string, r: { latencies: number[]; maxKb: number }) =>
    console.log(
      `match-to-queued in process, ${what}: p50 ${fmt(percentile(r.latencies, 50))} ms, p95 ${fmt(percentile(r.latencies, 95))} ms` +
        (r.maxKb > 1 ? `, screenshots at most ${fmt(r.maxKb)} KB` : ''),
    );
  line('fake screenshotter', fake);
  line('screenshot-desktop + sharp (busy 1920×1080 Xvfb screen)', desktop);
  line('ImageMagick import alone (the X11 adapter)', x11);
  const rss = process.memoryUsage().rss / 1024 / 1024;
  console.log(`  (bench process RSS after both: ${fmt(rss)} MB)`);
}

interface HeadlessRun {
  label: string;
  env?: NodeJS.ProcessEnv;
  idleSeconds: number;
}

async function headlessProcess(x: XSession, runs: HeadlessRun[]): Promise<number[]> {
  const pooled: number[] = [];
  const collector = await CollectorProcess.start();
  const peer = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  try {
    for (const [n, r] of runs.entries()) {
      const dataDir = mkdtempSync(join(tmpdir(), 'kestrel-bench-agent-'));
      const agent = await AgentProcess.start({
        server: collector.url,
        enrolmentToken: collector.enrolmentToken,
        dataDir,
        display: x.display,
        extraArgs: ['--keyboard-layout', 'en-US'],
        ...(r.env ? { env: r.env } : {}),
      });
      try {
        // A new window per run: each run's terms are new to the de-duplication.
        await x.openTerminal(`Homework notes ${n}`, { geometry: '120x30+300+200' });
        await sleep(5000); // enrolment, first policy and heartbeat out of the way
        if (r.idleSeconds > 0) {
          const [idleCpu, peerCpu] = await Promise.all([
            cpuOver(agent.pid, r.idleSeconds),
            cpuOver(peer.pid ?? -1, r.idleSeconds),
          ]);
          const idleMem = memory(agent.pid);
          console.log(
            `${r.label}, idle ${r.idleSeconds} s: CPU ${fmt(idleCpu, 2)} % of one core, RSS ${fmt(idleMem.rssMb)} MB`,
          );
          console.log(
            `  peer, bare Node process: CPU ${fmt(peerCpu, 2)} %, RSS ${fmt(memory(peer.pid ?? -1).rssMb)} MB`,
          );
        }
        let keys = 0;
        const typing = async () => {
          const end = Date.now() + TYPING_SECONDS * 1000;
          for (let i = 0; Date.now() < end; i++) {
            // Alternate a benign sentence and a short line with a new risky phrase.
            const risky = RISKY[Math.floor(i / 2)];
            const line =
              i % 2 === 1 && risky ? `so ${risky} ok` : (BENIGN[(i / 2) % BENIGN.length] ?? BENIGN[0] ?? '');
            await x.type(`${line}\n`, 40);
            keys += line.length + 1;
          }
        };
        const start = Date.now();
        const typingCpu = await cpuOver(agent.pid, 0, typing);
        const seconds = (Date.now() - start) / 1000;
        await sleep(3000);
        const mem = memory(agent.pid);
        const latencies = agent.logs('capture queued').map((l) => Number(l.latencyMs));
        pooled.push(...latencies);
        console.log(
          `${r.label}, typing ${fmt(seconds, 0)} s (${fmt(keys / seconds, 1)} keys/s): CPU ${fmt(typingCpu, 2)} %, RSS ${fmt(mem.rssMb)} MB (peak ${fmt(mem.peakMb)} MB)`,
        );
        console.log(
          `  match-to-queued (${latencies.length} captures, busy 1080p screen): p50 ${fmt(percentile(latencies, 50))} ms, p95 ${fmt(percentile(latencies, 95))} ms, max ${fmt(Math.max(...latencies))} ms`,
        );
      } finally {
        await agent.stop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
  } finally {
    await stopProcess(peer);
    await collector.stop();
  }
  return pooled;
}

export async function run(): Promise<void> {
  await keystrokeCost();
  const x = await XSession.start();
  try {
    // A screen full of text behind the typing window, so screenshots are realistic in size and cost.
    await x.openTerminal('Reading', { geometry: '237x70+0+0', showFile: '/usr/share/common-licenses/GPL-3' });
    await inProcessLatency(x.display);
    // Two agents in turn, for twice the captures: with a dozen a run, p95 is one screenshot.
    const latencies = await headlessProcess(x, [
      { label: 'headless agent', idleSeconds: IDLE_SECONDS },
      { label: 'headless agent, second run', idleSeconds: 0 },
    ]);
    console.log(
      `match-to-queued in the headless agent, both runs (${latencies.length} captures): p50 ${fmt(percentile(latencies, 50))} ms, p95 ${fmt(percentile(latencies, 95))} ms`,
    );
  } finally {
    await x.stop();
  }
}
