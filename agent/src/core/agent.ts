import {
  LIMITS,
  agentPolicySchema,
  type AgentPolicy,
  type CaptureSource,
  type HeartbeatRequest,
  type KeyboardLayout,
  type PolicyResponse,
  type SourceHealth,
} from '@kestrel/shared/protocol';
import type { CompiledLexicon, LexiconFile, LexiconMatch } from '@kestrel/shared/lexicon';
import type { AgentStateStore } from '../ports/agent-state-store.js';
import type { Clock } from '../ports/clock.js';
import type { CollectorClient } from '../ports/collector-client.js';
import type { HostInfo } from '../ports/host-info.js';
import type { InputEvent, KeystrokeSource } from '../ports/keystroke-source.js';
import type { Logger } from '../ports/logger.js';
import type { QueueStore } from '../ports/queue-store.js';
import type { Screenshot, Screenshotter } from '../ports/screenshotter.js';
import type { ActiveWindow, WindowSource } from '../ports/window-source.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import { captureMetadata, cleanText } from './capture-record.js';
import { CaptureThrottle } from './capture-throttle.js';
import { Connection, type ConnectionState } from './connection.js';
import { PeriodicTask } from './periodic-task.js';
import { TitleMonitor } from './title-monitor.js';
import { TypingMonitor } from './typing-monitor.js';
import { Uploader } from './uploader.js';

/** Everything the pipeline talks to; one composition root (headless or Electron) provides them. */
export interface AgentPorts {
  keystrokes: KeystrokeSource;
  windows: WindowSource;
  screenshotter: Screenshotter;
  queue: QueueStore;
  collector: CollectorClient;
  state: AgentStateStore;
  clock: Clock;
  logger: Logger;
  host: HostInfo;
}

export interface AgentOptions {
  /** Collector base URL; device credentials are tied to it. */
  server: string;
  /** Needed for the first enrolment only. */
  enrolmentToken: string | undefined;
  agentVersion: string;
  /** Matches until the collector's lexicon arrives (the shipped default). */
  initialLexicon: CompiledLexicon;
  compileLexicon: (file: LexiconFile) => CompiledLexicon;
  /** The machine's keyboard, when known locally; otherwise the collector's policy decides. */
  keyboardLayout?: KeyboardLayout;
  /** Active-window poll period (default 1000 ms); keystrokes also trigger a poll. */
  windowPollMs?: number;
  /** Typing pause after which the last word counts as complete (default 1500 ms). */
  idleFlushMs?: number;
  /** Ceiling on captures per minute, whatever their terms (default 30). */
  maxCapturesPerMinute?: number;
  backoff?: BackoffOptions;
  random?: () => number;
  newCaptureId?: () => string;
}

/** What a tray shows. */
export interface AgentStatus {
  connection: ConnectionState;
  lastError: string | undefined;
  server: string;
  deviceId: string | undefined;
  paused: boolean;
  queueLength: number;
  evictions: number;
  quarantined: number;
  delivered: number;
  /** Matches not captured because of the flood bounds. */
  throttled: number;
  lexiconVersion: string;
  policyVersion: string | undefined;
  keyboardLayout: KeyboardLayout;
  screenshotAdapter: string;
  sources: Record<string, SourceHealth>;
}

export interface Agent {
  start(): Promise<void>;
  /** Stops the sources, finishes the queue write in progress, then stops the network loops. */
  stop(): Promise<void>;
  status(): AgentStatus;
  /** Called whenever the status may have changed; returns an unsubscribe function. */
  onStatusChange(listener: (status: AgentStatus) => void): () => void;
  /** Resolves when captures in progress are queued and the upload round in progress is over. */
  settled(): Promise<void>;
}

const MAX_PENDING_CAPTURES = 8;
const KEYSTROKE_POLL_GAP_MS = 250;

/** The composition root of the capture pipeline: wires ports into the core. */
export function createAgent(ports: AgentPorts, options: AgentOptions): Agent {
  const { clock, logger, queue, collector } = ports;
  const random = options.random ?? Math.random;
  const newCaptureId = options.newCaptureId ?? (() => globalThis.crypto.randomUUID());
  const windowPollMs = options.windowPollMs ?? 1000;
  const idleFlushMs = options.idleFlushMs ?? 1500;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;

  let policy: AgentPolicy = agentPolicySchema.parse({});
  let policyVersion: string | undefined;
  let policyEtag: string | undefined;
  let lexicon = options.initialLexicon;
  const layout = (): KeyboardLayout => options.keyboardLayout ?? policy.keyboardLayout;

  const typing = new TypingMonitor(lexicon, { layout: layout(), contextChars: policy.contextChars });
  const titles = new TitleMonitor(lexicon, policy.contextChars);
  const throttle = new CaptureThrottle(policy.dedupeSeconds * 1000, options.maxCapturesPerMinute ?? 30);
  const connection = new Connection(
    { server: options.server, enrolmentToken: options.enrolmentToken, agentVersion: options.agentVersion },
    collector,
    ports.state,
    ports.host,
    logger,
  );
  const uploader = new Uploader({ queue, client: collector, connection, clock, logger, random, backoff });

  const listeners = new Set<(status: AgentStatus) => void>();
  let queueHealth: SourceHealth = { state: 'ok' };
  let currentWindow: ActiveWindow | undefined;
  let lastPollAt = Number.NEGATIVE_INFINITY;
  let polling: Promise<void> | undefined;
  let lastKeyAt: number | undefined;
  let captures: Promise<void> = Promise.resolve();
  let pendingCaptures = 0;
  let running = false;

  const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));
  const notify = () => {
    const status = agent.status();
    for (const listener of listeners) listener(status);
  };

  function suppressed(category: string, now: number): boolean {
    return policy.suppressedCategories.some((s) => s.category === category && Date.parse(s.until) > now);
  }

  /** A match becomes a capture unless paused, suppressed, or already captured in this window. */
  function onMatch(
    source: CaptureSource,
    match: LexiconMatch,
    context: string,
    window: ActiveWindow | undefined,
  ) {
    const now = clock.now();
    if (policy.paused || suppressed(match.category, now)) return;
    if (!throttle.admit(`${window?.id ?? ''}\u0000${match.term}`, now)) return;
    if (pendingCaptures >= MAX_PENDING_CAPTURES) {
      throttle.dropped++;
      return;
    }
    pendingCaptures++;
    captures = captures
      .then(() => record(source, match, context, window, now))
      .finally(() => pendingCaptures--);
  }

  async function record(
    source: CaptureSource,
    match: LexiconMatch,
    context: string,
    window: ActiveWindow | undefined,
    matchedAt: number,
  ): Promise<void> {
    let screenshot: Screenshot | undefined;
    try {
      screenshot = await ports.screenshotter.capture();
    } catch (error) {
      // Evidence without a picture beats no evidence: the capture is queued all the same.
      logger.warn('screenshot failed', { error: errorText(error) });
    }
    const metadata = captureMetadata({
      captureId: newCaptureId(),
      epochMs: matchedAt,
      offsetMinutes: clock.utcOffsetMinutes(matchedAt),
      machine: ports.host.hostname(),
      user: ports.host.username(),
      source,
      match,
      context,
      window,
    });
    try {
      await queue.enqueue(screenshot ? { metadata, screenshot } : { metadata });
      queueHealth = { state: 'ok' };
    } catch (error) {
      queueHealth = {
        state: 'degraded',
        detail: cleanText(`queue write failed: ${errorText(error)}`, LIMITS.healthDetail),
      };
      logger.error('capture could not be queued', { captureId: metadata.captureId, error: errorText(error) });
      notify();
      return;
    }
    logger.info('capture queued', {
      captureId: metadata.captureId,
      source,
      category: metadata.category,
      severity: metadata.severity,
      term: metadata.term,
      screenshot: screenshot !== undefined,
      latencyMs: clock.now() - matchedAt,
    });
    uploader.wake();
    notify();
  }

  function onInput(event: InputEvent): void {
    if (!running || policy.paused) return;
    const window = currentWindow;
    const matches = typing.handle(event, window?.id ?? 'unknown');
    lastKeyAt = clock.now();
    for (const m of matches) onMatch('typed', m.match, m.context, window);
    if (lastKeyAt - lastPollAt >= KEYSTROKE_POLL_GAP_MS) void pollWindow();
  }

  function pollWindow(): Promise<void> {
    polling ??= readWindow().finally(() => (polling = undefined));
    return polling;
  }

  async function readWindow(): Promise<void> {
    lastPollAt = clock.now();
    let next: ActiveWindow | undefined;
    try {
      next = await ports.windows.current();
    } catch (error) {
      logger.debug('active window unreadable', { error: errorText(error) });
    }
    const previous = currentWindow;
    currentWindow = next;
    if (policy.paused || !running) return;
    // Leaving a window ends the phrase typed there.
    if (previous && previous.id !== next?.id) {
      for (const m of typing.flush(previous.id)) onMatch('typed', m.match, m.context, previous);
    }
    if (next) {
      if (lastKeyAt !== undefined && clock.now() - lastKeyAt >= idleFlushMs) {
        lastKeyAt = undefined;
        for (const m of typing.flush(next.id)) onMatch('typed', m.match, m.context, next);
      }
      for (const m of titles.check(next)) onMatch('window-title', m.match, m.context, next);
    }
  }

  function applyPolicy(response: PolicyResponse): void {
    const wasPaused = policy.paused;
    policy = response.policy;
    policyVersion = response.policyVersion;
    throttle.setDedupeMs(policy.dedupeSeconds * 1000);
    typing.configure({ layout: layout(), contextChars: policy.contextChars });
    titles.setContextChars(policy.contextChars);
    if (policy.paused && !wasPaused) typing.clear();
    if (response.lexicon.version !== lexicon.version) {
      try {
        lexicon = options.compileLexicon(response.lexicon);
        // Hot swap: buffers built on the old lexicon are dropped, titles are matched afresh.
        typing.setLexicon(lexicon);
        titles.setLexicon(lexicon);
        logger.info('lexicon updated', { lexiconVersion: lexicon.version, entries: lexicon.size });
      } catch (error) {
        logger.error('lexicon from the collector does not compile; keeping the current one', {
          lexiconVersion: response.lexicon.version,
          error: errorText(error),
        });
      }
    }
    if (policy.paused !== wasPaused)
      logger.info(policy.paused ? 'monitoring paused by policy' : 'monitoring resumed');
  }

  let policyFailures = 0;
  const policyTask = new PeriodicTask(
    clock,
    async () => {
      const token = await connection.token();
      const result = token.ok ? await collector.fetchPolicy(token.value, policyEtag) : token;
      if (token.ok) await connection.observe(result);
      const every = policy.policyPollSeconds * 1000;
      if (!result.ok) return Math.min(every, backoffDelay(policyFailures++, random(), backoff));
      policyFailures = 0;
      if (result.value.changed) {
        policyEtag = result.value.etag;
        applyPolicy(result.value.policy);
        await ports.state.savePolicy({ etag: policyEtag, policy: result.value.policy });
        notify();
      }
      return policy.policyPollSeconds * 1000;
    },
    (error) => logger.error('policy update failed', { error: errorText(error) }),
    60_000,
  );

  let heartbeatFailures = 0;
  const heartbeatTask = new PeriodicTask(
    clock,
    async () => {
      const token = await connection.token();
      const result = token.ok ? await collector.heartbeat(token.value, heartbeatBody()) : token;
      if (token.ok) await connection.observe(result);
      notify();
      const every = policy.heartbeatSeconds * 1000;
      if (!result.ok) return Math.min(every, backoffDelay(heartbeatFailures++, random(), backoff));
      heartbeatFailures = 0;
      return every;
    },
    (error) => logger.error('heartbeat failed', { error: errorText(error) }),
    60_000,
  );

  const windowTask = new PeriodicTask(
    clock,
    async () => {
      await pollWindow();
      return windowPollMs;
    },
    (error) => logger.debug('window poll failed', { error: errorText(error) }),
    windowPollMs,
  );

  function sources(): Record<string, SourceHealth> {
    const clean = (h: SourceHealth): SourceHealth =>
      h.detail === undefined
        ? { state: h.state }
        : { state: h.state, detail: cleanText(h.detail, LIMITS.healthDetail) };
    return {
      keyboard: clean(ports.keystrokes.health()),
      window: clean(ports.windows.health()),
      screenshot: clean(ports.screenshotter.health()),
      queue: queueHealth,
    };
  }

  function heartbeatBody(): HeartbeatRequest {
    const stats = queue.stats();
    return {
      agentVersion: options.agentVersion,
      lexiconVersion: cleanText(lexicon.version, LIMITS.lexiconVersion),
      queueLength: stats.length,
      health: {
        sources: sources(),
        missingPermissions: [],
        evictions: stats.evictions,
        quarantined: stats.quarantined,
        screenshotAdapter: cleanText(ports.screenshotter.name, 64),
        paused: policy.paused,
      },
    };
  }

  const agent: Agent = {
    async start() {
      if (running) return;
      const stats = await queue.open();
      logger.info('queue opened', { ...stats });
      const cached = await ports.state.loadPolicy().catch((error: unknown) => {
        logger.warn('cached policy unreadable; using defaults', { error: errorText(error) });
        return undefined;
      });
      if (cached) {
        policyEtag = cached.etag;
        applyPolicy(cached.policy);
      }
      running = true;
      await pollWindow();
      const keyboard = await ports.keystrokes.start(onInput);
      logger.info('keyboard source', { state: keyboard.state, detail: keyboard.detail });
      windowTask.start(windowPollMs);
      uploader.start();
      policyTask.start(0);
      heartbeatTask.start(2000);
      logger.info('agent started', {
        agentVersion: options.agentVersion,
        server: options.server,
        lexiconVersion: lexicon.version,
        keyboardLayout: layout(),
      });
      notify();
    },

    async stop() {
      if (!running) return;
      running = false;
      await ports.keystrokes
        .stop()
        .catch((error: unknown) => logger.warn('keyboard stop failed', { error: errorText(error) }));
      await windowTask.stop();
      await polling;
      await ports.windows.stop?.();
      // A match already seen is still queued before the process goes.
      await captures;
      await Promise.all([policyTask.stop(), heartbeatTask.stop(), uploader.stop()]);
      typing.clear();
      await queue.close();
      logger.info('agent stopped');
    },

    status() {
      const stats = queue.stats();
      return {
        connection: connection.state,
        lastError: connection.lastError,
        server: options.server,
        deviceId: connection.deviceId,
        paused: policy.paused,
        queueLength: stats.length,
        evictions: stats.evictions,
        quarantined: stats.quarantined,
        delivered: uploader.delivered,
        throttled: throttle.dropped,
        lexiconVersion: lexicon.version,
        policyVersion,
        keyboardLayout: layout(),
        screenshotAdapter: ports.screenshotter.name,
        sources: sources(),
      };
    },

    onStatusChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async settled() {
      await polling;
      await captures;
      await uploader.idle();
    },
  };
  return agent;
}
