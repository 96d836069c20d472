export * from './protocol/index.js';
export * from './errors/index.js';
export * from './lexicon/index.js';
