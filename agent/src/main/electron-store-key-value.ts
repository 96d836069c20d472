import Store from 'electron-store';
import type { KeyValueStore } from '../config/key-value-state-store.js';

/**
 * Local state in `electron-store` (a JSON file in the data directory). Owner-only: it holds the
 * device token. A damaged file is reset rather than crashing the agent; the agent then re-enrols.
 */
export function electronStoreKeyValue(dataDir: string): KeyValueStore {
  const store = new Store<Record<string, unknown>>({
    name: 'kestrel-state',
    cwd: dataDir,
    clearInvalidConfig: true,
    configFileMode: 0o600,
  });
  return {
    get: (key) => store.get(key),
    set: (key, value) => store.set(key, value),
    delete: (key) => store.delete(key),
  };
}
