export { buildApp, type AppDeps } from './app.js';
export { parseConfig, testConfig, ConfigError, type Config } from './config/config.js';
export { openStorage, type KyselyStorage } from './adapters/storage.js';
export { ensureFirstRun } from './domain/first-run.js';
export { requireStaff, staffOf } from './http/staff-auth.js';
export { requireDevice, deviceOf } from './http/device-auth.js';
