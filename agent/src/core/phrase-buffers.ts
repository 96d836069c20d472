import type { CompiledLexicon, PhraseStream } from '@kestrel/shared/lexicon';

/**
 * One phrase stream per window, in memory only. Both the number of windows and each window's
 * text are bounded; the least recently typed-in window is forgotten first.
 */
export class PhraseBuffers {
  private readonly streams = new Map<string, PhraseStream>();

  constructor(
    private lexicon: CompiledLexicon,
    private readonly maxWindows = 16,
    private readonly maxChars = 512,
  ) {}

  get(windowId: string): PhraseStream {
    let stream = this.streams.get(windowId);
    if (stream) {
      this.streams.delete(windowId);
    } else {
      stream = this.lexicon.createStream({ maxBuffer: this.maxChars });
    }
    this.streams.set(windowId, stream);
    if (this.streams.size > this.maxWindows) {
      const oldest = this.streams.keys().next();
      if (!oldest.done) {
        this.streams.get(oldest.value)?.reset();
        this.streams.delete(oldest.value);
      }
    }
    return stream;
  }

  peek(windowId: string): PhraseStream | undefined {
    return this.streams.get(windowId);
  }

  /** A new lexicon: streams built on the old one are dropped (their text with them). */
  setLexicon(lexicon: CompiledLexicon): void {
    this.lexicon = lexicon;
    this.clear();
  }

  clear(): void {
    for (const stream of this.streams.values()) stream.reset();
    this.streams.clear();
  }

  get size(): number {
    return this.streams.size;
  }
}
