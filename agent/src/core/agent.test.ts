import { describe, expect, it } from 'vitest';
import { captureMetadataSchema, heartbeatRequestSchema, type PolicyResponse } from '@kestrel/shared/protocol';
import { compileLexicon, loadDefaultLexicon } from '@kestrel/shared/lexicon';
import { agentWithFakes } from '../ports/fakes/agent-harness.js';
import { FakeLexicon, KEYS, settle } from '../ports/fakes/index.js';

const policyWith = (
  over: Partial<PolicyResponse['policy']>,
  lexiconVersion = 'server-1',
): PolicyResponse => ({
  policyVersion: 'p1',
  policy: {
    paused: false,
    dedupeSeconds: 60,
    contextChars: 80,
    keyboardLayout: 'en-GB',
    heartbeatSeconds: 300,
    policyPollSeconds: 900,
    suppressedCategories: [],
    ...over,
  },
  lexicon: {
    format: 'kestrel-lexicon',
    formatVersion: 1,
    name: 'test',
    version: lexiconVersion,
    language: 'en-GB',
    entries: [{ term: 'buy a gun', category: 'violence', severity: 4 }],
    exceptions: [],
  },
});

describe('typed phrases', () => {
  it('turns a typed phrase into exactly one capture with every field', async () => {
    const t = agentWithFakes();
    await t.agent.start();
    await t.type('i want to kill myself tonight');
    const captures = t.collector.captures();
    expect(captures).toHaveLength(1);
    const [c] = captures;
    if (!c) throw new Error('no capture');
    expect(captureMetadataSchema.parse(c)).toEqual(c);
    expect(c).toMatchObject({
      machine: 'LAB-PC-07',
      user: 'pupil.one',
      source: 'typed',
      category: 'suicide',
      severity: 5,
      term: 'kill myself',
      context: 'i want to kill myself ',
      windowTitle: 'Homework notes',
      application: 'Notes',
      capturedAt: '2026-06-15T10:00:00.000+01:00',
    });
    expect(t.collector.received.get(c.captureId)?.screenshot?.mediaType).toBe('image/jpeg');
    await t.agent.stop();
  });

  it('follows backspace edits', async () => {
    const t = agentWithFakes();
    await t.agent.start();
    t.keyboard.type('kill mysxx');
    t.keyboard.press(KEYS.backspace);
    t.keyboard.press(KEYS.backspace, { repeat: true });
    await t.type('elf ');
    expect(t.collector.captures().map((c) => c.term)).toEqual(['kill myself']);
    // Typed then rubbed out before the word ended: nothing to capture.
    t.keyboard.type('self hax');
    for (let i = 0; i < 3; i++) t.keyboard.press(KEYS.backspace);
    await t.type('elp ');
    expect(t.collector.captures()).toHaveLength(1);
    await t.agent.stop();
  });

  it('treats Enter and Tab as the end of a phrase', async () => {
    const t = agentWithFakes();
    await t.agent.start();
    await t.type('kill\nmyself ');
    t.keyboard.type('self');
    t.keyboard.press(KEYS.tab);
    await t.type('harm ');
    expect(t.collector.captures()).toHaveLength(0);
    // The word before Enter is complete: Enter itself ends the match.
    await t.type('buy weed\n');
    expect(t.collector.captures().map((c) => c.term)).toEqual(['buy weed']);
    await t.agent.stop();
  });

  it('catches evasion typed live', async () => {
    const t = agentWithFakes();
    await t.agent.start();
    await t.type('gonna k1ll mys3lf lol ');
    expect(t.collector.captures()).toMatchObject([{ term: 'kill myself', context: 'gonna k1ll mys3lf ' }]);
    await t.agent.stop();
  });

  it('forgets the phrase when the caret moves, and ignores shortcuts', async () => {
    const t = agentWithFakes();
    await t.agent.start();
    t.keyboard.type('kill ');
    t.keyboard.press(KEYS.left);
    await t.type('myself ');
    t.keyboard.type('kill ');
    t.keyboard.emit({ kind: 'pointer' });
    await t.type('myself ');
    expect(t.collector.captures()).toHaveLength(0);
    // Ctrl+C types no "c"; the phrase around it still matches.
    t.keyboard.type('buy ');
    t.keyboard.press(KEYS.c, { ctrl: true });
    await t.type('weed ');
    expect(t.collector.captures().map((c) => c.term)).toEqual(['buy weed']);
    await t.agent.stop();
  });

  it('completes the last word after a pause in typing', async () => {
    const t = agentWithFakes();
    await t.agent.start();
    await t.type('kill myself');
    expect(t.collector.captures()).toHaveLength(0);
    await t.clock.advance(3000);
    await t.agent.settled();
    expect(t.collector.captures()).toHaveLength(1);
    await t.agent.stop();
  });

  it('keeps one buffer per window', async () => {
    const t = agentWithFakes();
    await t.agent.start();
    t.keyboard.type('kill ');
    t.windows.window = { id: 'w2', title: 'Chat', application: 'Chat', process: 'chat' };
    await t.clock.advance(1000);
    await t.type('myself ');
    expect(t.collector.captures()).toHaveLength(0);
    t.windows.window = { id: 'w1', title: 'Homework notes', application: 'Notes', process: 'notes' };
    await t.clock.advance(1000);
    await t.type('myself ');
    expect(t.collector.captures()).toMatchObject([{ windowTitle: 'Homework notes', term: 'kill myself' }]);
    await t.agent.stop();
  });
});

describe('de-duplication and flood bounds', () => {
  it('makes one capture per term and window within the period', async () => {
    const t = agentWithFakes();
    await t.agent.start();
    for (let i = 0; i < 5; i++) await t.type('kill myself ');
    expect(t.collector.captures()).toHaveLength(1);
    await t.clock.advance(61_000);
    await t.type('kill myself ');
    expect(t.collector.captures()).toHaveLength(2);
    t.windows.window = { id: 'w9', title: 'Other', application: 'Other', process: 'other' };
    await t.clock.advance(1000);
    await t.type('kill myself ');
    expect(t.collector.captures()).toHaveLength(3);
    await t.agent.stop();
  });

  it('cannot be flooded by a burst of different terms', async () => {
    const entries = Array.from({ length: 100 }, (_, i) => ({
      term: `word${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`,
      category: 'bullying' as const,
      severity: 2 as const,
    }));
    const t = agentWithFakes({ lexicon: new FakeLexicon('many', entries), maxCapturesPerMinute: 10 });
    await t.agent.start();
    for (const e of entries) await t.type(`${e.term} `);
    expect(t.collector.captures()).toHaveLength(10);
    expect(t.agent.status().throttled).toBeGreaterThan(0);
    await t.agent.stop();
  });
});

describe('window titles', () => {
  it('captures a risky title once, not on every poll', async () => {
    const t = agentWithFakes();
    t.windows.window = {
      id: 'w3',
      title: 'suicide methods - Search',
      application: 'Browser',
      process: 'browser',
      url: 'https://search.test/?q=x',
    };
    await t.agent.start();
    await t.agent.settled();
    for (let i = 0; i < 5; i++) await t.clock.advance(1000);
    await t.agent.settled();
    expect(t.collector.captures()).toMatchObject([
      {
        source: 'window-title',
        term: 'suicid*',
        windowTitle: 'suicide methods - Search',
        url: 'https://search.test/?q=x',
        context: 'suicide methods - Search',
      },
    ]);
    await t.agent.stop();
  });
});

describe('policy', () => {
  it('suppresses a category until its time, and pauses monitoring', async () => {
    const t = agentWithFakes();
    t.collector.policy = {
      etag: '"1"',
      response: policyWith(
        { suppressedCategories: [{ category: 'suicide', until: '2026-06-15T09:10:00Z' }] },
        'test-1',
      ),
    };
    await t.agent.start();
    await t.clock.advance(0);
    await t.type('kill myself buy weed ');
    expect(t.collector.captures().map((c) => c.category)).toEqual(['drugs']);
    await t.clock.advance(11 * 60_000);
    await t.type('kill myself ');
    expect(t.collector.captures().map((c) => c.category)).toEqual(['drugs', 'suicide']);

    t.collector.policy = {
      etag: '"2"',
      response: policyWith({ paused: true, policyPollSeconds: 60 }, 'test-1'),
    };
    await t.clock.advance(15 * 60_000);
    expect(t.agent.status().paused).toBe(true);
    await t.type('self harm ');
    expect(t.collector.captures()).toHaveLength(2);
    await t.agent.stop();
  });

  it('hot-swaps the lexicon and uses the ETag', async () => {
    const compiled: string[] = [];
    const t = agentWithFakes({
      compileLexicon: (file) => {
        compiled.push(file.version);
        return new FakeLexicon(file.version, file.entries);
      },
    });
    t.collector.policy = { etag: '"a"', response: policyWith({ policyPollSeconds: 60 }, 'server-1') };
    await t.agent.start();
    await t.clock.advance(0);
    expect(t.agent.status().lexiconVersion).toBe('server-1');
    await t.type('how to buy a gun ');
    expect(t.collector.captures().map((c) => c.term)).toEqual(['buy a gun']);
    // Unchanged policy: the collector answers 304 and nothing is compiled again.
    await t.clock.advance(61_000);
    expect(t.collector.policyFetches).toBe(2);
    expect(compiled).toEqual(['server-1']);
    expect(t.state.policy?.etag).toBe('"a"');
    await t.agent.stop();
  });

  it('bounds the matches waiting for a screenshot', async () => {
    const entries = Array.from({ length: 20 }, (_, i) => ({
      term: `word${String.fromCharCode(97 + i)}`,
      category: 'bullying' as const,
      severity: 2 as const,
    }));
    const t = agentWithFakes({ lexicon: new FakeLexicon('many', entries), maxCapturesPerMinute: 100 });
    await t.agent.start();
    // Typed in one go, faster than screenshots are taken: at most 8 wait for one.
    t.keyboard.type(entries.map((e) => e.term).join(' ') + ' ');
    await t.agent.settled();
    expect(t.collector.captures()).toHaveLength(8);
    expect(t.agent.status().throttled).toBe(12);
    await t.agent.stop();
  });

  it('keeps the current lexicon when the new one does not compile', async () => {
    const t = agentWithFakes();
    t.collector.policy = { etag: '"a"', response: policyWith({}, 'broken') };
    await t.agent.start();
    await t.clock.advance(0);
    expect(t.collector.policyFetches).toBe(1);
    expect(t.agent.status().lexiconVersion).toBe('test-1');
    await t.type('kill myself ');
    expect(t.collector.captures()).toHaveLength(1);
    await t.agent.stop();
  });
});

describe('with the shipped lexicon engine', () => {
  const shipped = () => compileLexicon(loadDefaultLexicon());

  it('catches evasion typed live and phrases typed with Caps Lock on', async () => {
    const t = agentWithFakes({ lexicon: shipped() });
    await t.agent.start();
    await t.type('gonna k1ll mys3lf lol\n');
    expect(t.collector.captures()).toMatchObject([
      { term: 'kill myself', category: 'suicide', context: 'gonna k1ll mys3lf lol' },
    ]);
    t.keyboard.capsLock = true;
    await t.type('WHERE CAN I BUY WEED\n');
    expect(t.collector.captures()[1]).toMatchObject({ category: 'drugs', context: 'WHERE CAN I BUY WEED' });
    await t.agent.stop();
  });

  it('does not match across Enter, and follows backspace', async () => {
    const t = agentWithFakes({ lexicon: shipped() });
    await t.agent.start();
    await t.type('i could kill\nmyself with laughter\n');
    expect(t.collector.captures()).toHaveLength(0);
    t.keyboard.type('kill myzz');
    t.keyboard.press(KEYS.backspace);
    t.keyboard.press(KEYS.backspace, { repeat: true });
    await t.type('self\n');
    expect(t.collector.captures()).toMatchObject([{ term: 'kill myself', context: 'kill myself' }]);
    await t.agent.stop();
  });
});

describe('keyboard layouts through the pipeline', () => {
  it('reads UK symbols in context', async () => {
    const t = agentWithFakes({ layout: 'en-GB' });
    await t.agent.start();
    await t.type('"kill myself" @ £5 #1 ');
    expect(t.collector.captures()[0]?.context).toBe('"kill myself"');
    await t.agent.stop();
  });

  it('reads US symbols in context', async () => {
    const t = agentWithFakes({ layout: 'en-US' });
    await t.agent.start();
    await t.type('"kill myself" ');
    expect(t.collector.captures()[0]?.context).toBe('"kill myself"');
    await t.agent.stop();
  });
});

describe('delivery', () => {
  it('queues while offline and delivers once, with backoff', async () => {
    const t = agentWithFakes();
    t.collector.online = false;
    await t.agent.start();
    await t.type('kill myself ');
    expect(t.agent.status()).toMatchObject({ connection: 'offline', queueLength: 1 });
    await t.clock.advance(10 * 60_000);
    const attemptsWhileDown = t.collector.uploadAttempts + t.collector.enrolments;
    t.collector.online = true;
    await t.clock.advance(10 * 60_000);
    await t.agent.settled();
    expect(t.collector.captures()).toHaveLength(1);
    expect(t.agent.status()).toMatchObject({ connection: 'online', queueLength: 0, delivered: 1 });
    expect(attemptsWhileDown).toBe(0);
    await t.agent.stop();
  });

  it('still queues the capture when the screenshot fails', async () => {
    const t = agentWithFakes();
    t.screenshotter.fail = true;
    await t.agent.start();
    await t.type('kill myself ');
    const [c] = t.collector.captures();
    expect(c?.term).toBe('kill myself');
    expect(t.collector.received.get(c?.captureId ?? '')?.screenshot).toBeUndefined();
    await t.agent.stop();
  });

  it('enrols again when the collector forgets the device, but not when it revokes it', async () => {
    const t = agentWithFakes();
    await t.agent.start();
    await t.type('kill myself ');
    expect(t.collector.enrolments).toBe(1);
    t.collector.tokens.clear();
    await t.type('buy weed ');
    await t.clock.advance(5000);
    await t.agent.settled();
    expect(t.collector.enrolments).toBe(2);
    expect(t.collector.captures()).toHaveLength(2);

    t.collector.revoked = true;
    await t.type('self harm ');
    await t.clock.advance(60 * 60_000);
    expect(t.agent.status()).toMatchObject({ connection: 'revoked', queueLength: 1 });
    expect(t.collector.enrolments).toBe(2);
    await t.agent.stop();
  });

  it('quarantines a capture the collector refuses for good', async () => {
    const t = agentWithFakes();
    t.collector.failNextUploads.push({
      kind: 'rejected',
      status: 400,
      code: 'VALIDATION_FAILED',
      message: 'bad',
    });
    await t.agent.start();
    await t.type('kill myself ');
    expect(t.agent.status()).toMatchObject({ queueLength: 0, quarantined: 1 });
    await t.agent.stop();
  });

  it('sends heartbeats with versions, queue length and the health of each source', async () => {
    const t = agentWithFakes();
    t.keyboard.state = { state: 'unavailable', detail: 'no X display' };
    await t.agent.start();
    await t.clock.advance(3000);
    const hb = t.collector.heartbeats[0];
    expect(heartbeatRequestSchema.parse(hb)).toBeTruthy();
    expect(hb).toMatchObject({
      agentVersion: '0.1.0-test',
      lexiconVersion: 'test-1',
      queueLength: 0,
      health: {
        sources: { keyboard: { state: 'unavailable' }, window: { state: 'ok' }, screenshot: { state: 'ok' } },
        screenshotAdapter: 'fake',
      },
    });
    expect(t.agent.status().sources.keyboard?.state).toBe('unavailable');
    await t.agent.stop();
  });
});

describe('privacy', () => {
  it('logs nothing typed that did not match', async () => {
    const t = agentWithFakes();
    await t.agent.start();
    await t.type('my secret password is hunter2 and i want to kill myself ');
    await settle();
    expect(t.collector.captures()).toHaveLength(1);
    const logs = t.logger.text();
    expect(logs).not.toMatch(/hunter2|secret|password/);
    await t.agent.stop();
  });
});
