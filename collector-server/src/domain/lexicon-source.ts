import { type LexiconFile, loadDefaultLexicon } from '@kestrel/shared/lexicon';

/** The lexicon agents get until their school publishes its own: the one shipped in `shared/`. */
export async function loadShippedLexicon(): Promise<LexiconFile> {
  return loadDefaultLexicon();
}
