import defaultLexiconJson from './data/default-lexicon.json' with { type: 'json' };
import { parseLexicon } from './parse-lexicon.js';
import type { LexiconFile } from './schema.js';

let cached: LexiconFile | undefined;

/** The default lexicon shipped with Kestrel (data/default-lexicon.json, documented in docs/lexicon.md). */
export function loadDefaultLexicon(): LexiconFile {
  cached ??= parseLexicon(defaultLexiconJson);
  // A copy: callers may edit theirs (an administrator's additions) without touching the default.
  return structuredClone(cached);
}
