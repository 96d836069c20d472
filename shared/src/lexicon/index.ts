export * from './schema.js';
export * from './engine-types.js';
export { LexiconError } from './lexicon-error.js';
export { parseLexicon } from './parse-lexicon.js';
export { loadDefaultLexicon } from './default-lexicon.js';
export { compileLexicon, Lexicon, type CompileOptions } from './compile-lexicon.js';
