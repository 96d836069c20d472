export * from './categories.js';
export * from './limits.js';
export * from './strings.js';
export * from './capture.js';
export * from './enrol.js';
export * from './heartbeat.js';
export * from './policy.js';
export * from './staff.js';
