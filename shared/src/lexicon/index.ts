export * from './schema.js';
export * from './engine-types.js';
