export * from './actions.js';
export * from './role-grants.js';
export * from './policy.js';
