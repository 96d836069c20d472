import type { CompiledLexicon, LexiconMatch } from '@kestrel/shared/lexicon';
import type { ActiveWindow } from '../ports/window-source.js';
import { contextAround } from './capture-record.js';

export interface TitleMatch {
  match: LexiconMatch;
  context: string;
}

/**
 * Matches a window's title when it changes (page titles and search queries are what pupils
 * view). A title is matched once per change, not on every poll.
 */
export class TitleMonitor {
  private readonly lastTitle = new Map<string, string>();

  constructor(
    private lexicon: CompiledLexicon,
    private contextChars: number,
    private readonly maxWindows = 64,
  ) {}

  setLexicon(lexicon: CompiledLexicon): void {
    this.lexicon = lexicon;
    // Titles already on screen are matched again with the new lexicon.
    this.lastTitle.clear();
  }

  setContextChars(chars: number): void {
    this.contextChars = chars;
  }

  check(window: ActiveWindow): TitleMatch[] {
    if (this.lastTitle.get(window.id) === window.title) return [];
    this.lastTitle.delete(window.id);
    this.lastTitle.set(window.id, window.title);
    if (this.lastTitle.size > this.maxWindows) {
      const oldest = this.lastTitle.keys().next();
      if (!oldest.done) this.lastTitle.delete(oldest.value);
    }
    if (window.title.length === 0) return [];
    return this.lexicon
      .match(window.title)
      .map((match) => ({ match, context: contextAround(window.title, match, this.contextChars) }));
  }
}
