export * from './codes.js';
export * from './kestrel-error.js';
