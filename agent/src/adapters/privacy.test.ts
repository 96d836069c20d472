import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agentWithFakes } from '../ports/fakes/agent-harness.js';
import { FsQueueStore } from './fs-queue-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('privacy', () => {
  it('writes nothing typed to the data directory except the bounded context of a match', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kestrel-privacy-'));
    dirs.push(dir);
    const queue = new FsQueueStore({ dir: join(dir, 'queue'), now: () => Date.now() });
    const t = agentWithFakes({ queue });
    t.collector.online = false; // so the capture stays on disk to be inspected
    await t.agent.start();
    await t.type('my password is zebracrossing42\n');
    await t.type('dear diary today was long\n');
    await t.type('i want to kill myself ');
    await t.clock.advance(5000);
    await t.agent.settled();
    expect(t.agent.status().queueLength).toBe(1);
    const everything = filesUnder(dir)
      .map((f) => readFileSync(f).toString('latin1'))
      .join('\n');
    expect(everything).toContain('i want to kill myself');
    for (const secret of ['zebracrossing42', 'password', 'diary']) expect(everything).not.toContain(secret);
    expect(t.logger.text()).not.toMatch(/zebracrossing42|diary|i want to/);
    await t.agent.stop();
  });
});
