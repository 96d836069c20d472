import type { Category, Severity } from '../protocol/categories.js';

/** One match, with UTF-16 offsets into the ORIGINAL text (what a moderator sees highlighted). */
export interface LexiconMatch {
  category: Category;
  severity: Severity;
  /** The lexicon entry's term, as written in the lexicon (`suicid*`, `kill myself`). */
  term: string;
  start: number;
  end: number;
}

/** A lexicon compiled for matching. Immutable; safe to share and to swap atomically. */
export interface CompiledLexicon {
  readonly version: string;
  /** Number of entries compiled. */
  readonly size: number;
  /** Batch matching (window titles, CLI lines). */
  match(text: string): LexiconMatch[];
  /** A streaming matcher for one keystroke buffer. */
  createStream(options?: PhraseStreamOptions): PhraseStream;
}

export interface PhraseStreamOptions {
  /** Characters of typed text kept in memory (older text is forgotten). Default 512. */
  maxBuffer?: number;
}

/**
 * The agent's per-window keystroke buffer. Characters are fed as typed; each match is reported
 * once, as soon as it is complete (the word it ends is known to be whole). Offsets are into `text`.
 */
export interface PhraseStream {
  /** Append typed characters; returns matches completed by them. */
  push(chars: string): LexiconMatch[];
  /** Delete `count` characters before the caret (Backspace). */
  backspace(count?: number): void;
  /**
   * End of phrase (Enter, Tab, focus change, idle): returns matches that were waiting for a word
   * boundary. The text stays readable (for context) until `reset()`.
   */
  flush(): LexiconMatch[];
  /** Forget everything (caret moved somewhere unknown). */
  reset(): void;
  /** The text currently held (bounded), for building a match's context. */
  readonly text: string;
}
