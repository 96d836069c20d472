import type { KeyboardLayout } from '@kestrel/shared/protocol';
import type { CompiledLexicon, LexiconMatch, PhraseStream } from '@kestrel/shared/lexicon';
import type { InputEvent } from '../ports/keystroke-source.js';
import { keyAction } from './key-actions.js';
import { contextAround } from './capture-record.js';
import { PhraseBuffers } from './phrase-buffers.js';

/** A match in typed text with its bounded context (the text itself is not kept). */
export interface TypedMatch {
  windowId: string;
  match: LexiconMatch;
  context: string;
}

export interface TypingMonitorOptions {
  layout: KeyboardLayout;
  contextChars: number;
  maxWindows?: number;
  maxChars?: number;
}

/** Keystrokes in, matches out: the per-window phrase buffers and the streaming matcher. */
export class TypingMonitor {
  private readonly buffers: PhraseBuffers;
  private layout: KeyboardLayout;
  private contextChars: number;

  constructor(lexicon: CompiledLexicon, options: TypingMonitorOptions) {
    this.buffers = new PhraseBuffers(lexicon, options.maxWindows, options.maxChars);
    this.layout = options.layout;
    this.contextChars = options.contextChars;
  }

  configure(options: { layout?: KeyboardLayout; contextChars?: number }): void {
    if (options.layout) this.layout = options.layout;
    if (options.contextChars !== undefined) this.contextChars = options.contextChars;
  }

  setLexicon(lexicon: CompiledLexicon): void {
    this.buffers.setLexicon(lexicon);
  }

  /** Feeds one event typed into `windowId`; returns the matches it completed. */
  handle(event: InputEvent, windowId: string): TypedMatch[] {
    const action = keyAction(event, this.layout);
    switch (action.type) {
      case 'none':
        return [];
      case 'text': {
        const stream = this.buffers.get(windowId);
        return this.withContext(windowId, stream, stream.push(action.chars));
      }
      case 'backspace':
        this.buffers.peek(windowId)?.backspace(1);
        return [];
      case 'boundary':
      case 'caret': {
        // The phrase so far was whole: report what waited for a word boundary, then start afresh.
        const stream = this.buffers.peek(windowId);
        if (!stream) return [];
        const matches = this.withContext(windowId, stream, stream.flush());
        stream.reset();
        return matches;
      }
    }
  }

  /** The pupil stopped typing, or left the window: the last word is complete. */
  flush(windowId: string): TypedMatch[] {
    const stream = this.buffers.peek(windowId);
    return stream ? this.withContext(windowId, stream, stream.flush()) : [];
  }

  /** Forgets everything typed (pause, shutdown). */
  clear(): void {
    this.buffers.clear();
  }

  get windows(): number {
    return this.buffers.size;
  }

  private withContext(windowId: string, stream: PhraseStream, matches: LexiconMatch[]): TypedMatch[] {
    if (matches.length === 0) return [];
    const text = stream.text;
    return matches.map((match) => ({
      windowId,
      match,
      context: contextAround(text, match, this.contextChars),
    }));
  }
}
