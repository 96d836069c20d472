import { describe, expect, it } from 'vitest';
import { KeyValueStateStore, type KeyValueStore } from './key-value-state-store.js';
import type { PolicyProblem } from './policy-problem.js';

function memoryStore(initial: Record<string, unknown> = {}): KeyValueStore & { data: Map<string, unknown> } {
  const data = new Map(Object.entries(initial));
  return {
    data,
    get: (k) => data.get(k),
    set: (k, v) => void data.set(k, structuredClone(v)),
    delete: (k) => void data.delete(k),
  };
}

describe('KeyValueStateStore', () => {
  it('round-trips credentials and clears them', async () => {
    const state = new KeyValueStateStore(memoryStore());
    const credentials = { deviceId: 'dev-1', deviceToken: 'tok-1', server: 'https://kestrel.example.sch.uk' };
    await state.saveCredentials(credentials);
    expect(await state.loadCredentials()).toEqual(credentials);
    await state.clearCredentials();
    expect(await state.loadCredentials()).toBeUndefined();
  });

  it('discards a damaged entry with a problem instead of trusting it', async () => {
    const store = memoryStore({ credentials: { deviceId: 'dev-1', deviceToken: 42 }, policy: 'garbage' });
    const problems: PolicyProblem[] = [];
    const state = new KeyValueStateStore(store, (p) => problems.push(p));
    expect(await state.loadCredentials()).toBeUndefined();
    expect(await state.loadPolicy()).toBeUndefined();
    expect(store.data.size).toBe(0);
    expect(problems.map((p) => p.key)).toEqual(['credentials', 'policy']);
  });

  it('keeps first-run settings validated with the policy field rules', () => {
    const state = new KeyValueStateStore(memoryStore());
    state.saveSettings({ serverUrl: 'https://kestrel.example.sch.uk/' });
    state.saveSettings({ enrolmentToken: 'enrol-token-1' });
    expect(state.loadSettings()).toEqual({
      serverUrl: 'https://kestrel.example.sch.uk',
      enrolmentToken: 'enrol-token-1',
    });
    expect(() => state.saveSettings({ serverUrl: 'http://far.example.com' })).toThrow();
  });
});
