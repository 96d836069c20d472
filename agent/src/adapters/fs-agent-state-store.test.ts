import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FsAgentStateStore } from './fs-agent-state-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('agent state on disk', () => {
  it('keeps the device token owner-only and reads it back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kestrel-state-'));
    dirs.push(dir);
    const store = new FsAgentStateStore(join(dir, 'data'));
    await store.saveCredentials({ deviceId: 'd1', deviceToken: 'secret', server: 'https://c.test' });
    expect(statSync(join(dir, 'data', 'device.json')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'data')).mode & 0o777).toBe(0o700);
    expect(await new FsAgentStateStore(join(dir, 'data')).loadCredentials()).toEqual({
      deviceId: 'd1',
      deviceToken: 'secret',
      server: 'https://c.test',
    });
    await store.clearCredentials();
    expect(await store.loadCredentials()).toBeUndefined();
  });

  it('treats a damaged file as absent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kestrel-state-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'device.json'), '{"deviceId": "d1", "devi');
    writeFileSync(join(dir, 'policy.json'), '{"etag": 3}');
    const store = new FsAgentStateStore(dir);
    expect(await store.loadCredentials()).toBeUndefined();
    expect(await store.loadPolicy()).toBeUndefined();
  });
});
