import type { KeyboardLayout } from '@kestrel/shared/protocol';
import { createAgent, type Agent, type AgentOptions } from '../../core/agent.js';
import type { QueueStore } from '../queue-store.js';
import { FakeClock, settle } from './fake-clock.js';
import { FakeCollector } from './fake-collector.js';
import { FakeHost, MemoryLogger } from './fake-host.js';
import { FakeKeystrokeSource } from './fake-keystroke-source.js';
import type { CompiledLexicon } from '@kestrel/shared/lexicon';
import { testLexicon } from './fake-lexicon.js';
import { FakeScreenshotter } from './fake-screenshotter.js';
import { FakeWindowSource } from './fake-window-source.js';
import { MemoryQueueStore } from './memory-queue-store.js';
import { MemoryStateStore } from './memory-state-store.js';

/** An agent wired to fakes of every port, and the fakes, for a test to drive. */
export function agentWithFakes(
  overrides: Partial<AgentOptions> & {
    queue?: QueueStore;
    lexicon?: CompiledLexicon;
    layout?: KeyboardLayout;
  } = {},
) {
  const clock = new FakeClock();
  const keyboard = new FakeKeystrokeSource();
  const windows = new FakeWindowSource();
  const screenshotter = new FakeScreenshotter();
  const queue = overrides.queue ?? new MemoryQueueStore();
  const collector = new FakeCollector();
  const state = new MemoryStateStore();
  const logger = new MemoryLogger();
  let ids = 0;
  const agent: Agent = createAgent(
    {
      keystrokes: keyboard,
      windows,
      screenshotter,
      queue,
      collector,
      state,
      clock,
      logger,
      host: new FakeHost(),
    },
    {
      server: 'https://collector.test',
      enrolmentToken: 'enrol-me',
      agentVersion: '0.1.0-test',
      initialLexicon: overrides.lexicon ?? testLexicon(),
      compileLexicon: () => {
        throw new Error('no compiler in this test');
      },
      random: () => 0.5,
      newCaptureId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
      ...(overrides.layout ? { keyboardLayout: overrides.layout } : {}),
      ...overrides,
    },
  );
  /** Types, then lets the capture reach the collector. */
  const type = async (text: string, layout?: KeyboardLayout) => {
    keyboard.type(text, layout ?? overrides.layout ?? 'en-GB');
    await settle();
    await agent.settled();
  };
  return { agent, clock, keyboard, windows, screenshotter, queue, collector, state, logger, type };
}
