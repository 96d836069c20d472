import type { Category, Severity } from '@kestrel/shared/protocol';
import type {
  CompiledLexicon,
  LexiconMatch,
  PhraseStream,
  PhraseStreamOptions,
} from '@kestrel/shared/lexicon';

export interface FakeEntry {
  term: string;
  category: Category;
  severity: Severity;
}

// Length-preserving, so offsets into the normalised text are offsets into the original.
const LEET: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '@': 'a',
  $: 's',
  '7': 't',
};
const normalise = (text: string) => [...text.toLowerCase()].map((c) => LEET[c] ?? c).join('');
const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}'@$]/u.test(c);

/**
 * A small stand-in for the real engine with the same contract: whole-word phrases, a trailing `*`
 * stem, a little leetspeak, and streaming matches reported once each when their word is complete.
 */
export class FakeLexicon implements CompiledLexicon {
  readonly size: number;

  constructor(
    readonly version: string,
    private readonly entries: readonly FakeEntry[],
  ) {
    this.size = entries.length;
  }

  match(text: string): LexiconMatch[] {
    return this.find(text, true);
  }

  /** Matches in `text`; with `atEnd`, a word running to the end of the text counts as complete. */
  find(text: string, atEnd: boolean): LexiconMatch[] {
    const norm = normalise(text);
    const out: LexiconMatch[] = [];
    for (const entry of this.entries) {
      const stem = entry.term.endsWith('*');
      const term = stem ? entry.term.slice(0, -1) : entry.term;
      for (let at = norm.indexOf(term); at >= 0; at = norm.indexOf(term, at + 1)) {
        if (isWordChar(norm[at - 1])) continue;
        let end = at + term.length;
        if (stem) while (isWordChar(norm[end])) end++;
        else if (isWordChar(norm[end])) continue;
        if (end === norm.length && !atEnd) continue;
        out.push({ category: entry.category, severity: entry.severity, term: entry.term, start: at, end });
      }
    }
    return out.sort((a, b) => a.start - b.start);
  }

  createStream(options?: PhraseStreamOptions): PhraseStream {
    return new FakePhraseStream(this, options?.maxBuffer ?? 512);
  }
}

class FakePhraseStream implements PhraseStream {
  text = '';
  private reported = new Set<string>();

  constructor(
    private readonly lexicon: FakeLexicon,
    private readonly maxBuffer: number,
  ) {}

  push(chars: string): LexiconMatch[] {
    this.text += chars;
    if (this.text.length > this.maxBuffer) {
      const drop = this.text.length - this.maxBuffer;
      this.text = this.text.slice(drop);
      this.reported = new Set(
        [...this.reported].map((k) => {
          const [start, term] = k.split('|');
          return `${Number(start) - drop}|${term}`;
        }),
      );
    }
    return this.report(false);
  }

  backspace(count = 1): void {
    this.text = this.text.slice(0, Math.max(0, this.text.length - count));
  }

  flush(): LexiconMatch[] {
    return this.report(true);
  }

  reset(): void {
    this.text = '';
    this.reported.clear();
  }

  private report(atEnd: boolean): LexiconMatch[] {
    const fresh = this.lexicon
      .find(this.text, atEnd)
      .filter((m) => !this.reported.has(`${m.start}|${m.term}`));
    for (const m of fresh) this.reported.add(`${m.start}|${m.term}`);
    return fresh;
  }
}

/** The lexicon most tests use. */
export function testLexicon(version = 'test-1'): FakeLexicon {
  return new FakeLexicon(version, [
    { term: 'kill myself', category: 'suicide', severity: 5 },
    { term: 'suicid*', category: 'suicide', severity: 4 },
    { term: 'self harm', category: 'self-harm', severity: 4 },
    { term: 'buy weed', category: 'drugs', severity: 2 },
    { term: 'proxy site', category: 'circumvention', severity: 1 },
  ]);
}
