import type { LexiconMatch, PhraseStream, PhraseStreamOptions } from './engine-types.js';
import type { Matcher } from './matcher.js';

const DEFAULT_MAX_BUFFER = 512;

const isSpace = (c: number): boolean => c <= 32 || c === 0xa0 || c === 0x3000 || (c >= 0x2000 && c <= 0x200a);
// Characters that cannot end a word: typing them needs no matching at all.
const isPlainWordChar = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);

/**
 * The keystroke buffer of one text field. Matching runs only when a typed character can finish a
 * word (a separator), over a bounded tail of the buffer that starts at a whole word; letters are
 * appended and nothing else. A match is reported once: the stream remembers (term, position) of
 * everything it reported, so deleting and retyping the same words at the same place does not
 * report them again, while a different term there does. Nothing is reported for a word until it is
 * finished, so a backspace that un-finishes a word leaves nothing stale behind.
 *
 * The buffer holds at most `maxBuffer` characters, except that a chunk longer than a quarter of
 * that (a paste) is kept whole until the next push, so all of it is matched and the offsets
 * returned for it are valid in `text`.
 */
export class PhraseStreamImpl implements PhraseStream {
  private buffer = '';
  /** Characters forgotten from the front, so positions of reported matches stay comparable. */
  private dropped = 0;
  /** The buffer starts in the middle of a word (older text was forgotten). */
  private frontPartial = false;
  /** Characters pushed since the last match run (all of them must be in its window). */
  private unscanned = 0;
  private readonly reported = new Map<string, number>();
  private readonly maxBuffer: number;
  private readonly window: number;

  constructor(
    private readonly matcher: Matcher,
    options: PhraseStreamOptions = {},
  ) {
    this.maxBuffer = Math.max(16, Math.floor(options.maxBuffer ?? DEFAULT_MAX_BUFFER));
    // Room for the longest pattern even when spelt out with gaps, repeats and symbols.
    this.window = Math.min(this.maxBuffer, 4 * matcher.maxPatternLength + 32);
  }

  get text(): string {
    return this.buffer;
  }

  push(chars: string): LexiconMatch[] {
    if (chars.length === 0) return [];
    // A long chunk pushed last time was kept whole until now, so that all of it got matched.
    if (this.buffer.length > this.maxBuffer) this.forget();
    this.buffer += chars;
    this.unscanned += chars.length;
    if (this.buffer.length > this.maxBuffer && this.unscanned <= this.maxBuffer >> 2) this.forget();
    for (let i = 0; i < chars.length; i++) {
      if (!isPlainWordChar(chars.charCodeAt(i))) return this.scan(false);
    }
    return [];
  }

  backspace(count = 1): void {
    let b = this.buffer;
    for (let k = 0; k < count && b.length > 0; k++) {
      const last = b.charCodeAt(b.length - 1);
      const pair =
        last >= 0xdc00 && last <= 0xdfff && b.length > 1 && (b.charCodeAt(b.length - 2) & 0xfc00) === 0xd800;
      b = b.slice(0, b.length - (pair ? 2 : 1));
    }
    this.buffer = b;
  }

  flush(): LexiconMatch[] {
    return this.buffer.length === 0 ? [] : this.scan(true);
  }

  reset(): void {
    this.buffer = '';
    this.unscanned = 0;
    this.dropped = 0;
    this.frontPartial = false;
    this.reported.clear();
  }

  private scan(final: boolean): LexiconMatch[] {
    const b = this.buffer;
    // At the end of a phrase the whole buffer is matched, so even a phrase disguised beyond the
    // per-key window is found once.
    const from = this.windowStart(final);
    this.unscanned = 0;
    const { matches, openFrom, pendingFrom } = this.matcher.run(b, from, b.length);
    // An unfinished last word and a possible exception still being typed hold their matches back.
    const limit = final ? Infinity : Math.min(openFrom, pendingFrom);
    const out: LexiconMatch[] = [];
    for (const m of matches) {
      if (m.end > limit) continue;
      const key = `${this.dropped + m.start}:${this.dropped + m.end}:${m.term}:${m.category}`;
      if (this.reported.has(key)) continue;
      this.reported.set(key, this.dropped + m.start);
      out.push(m);
    }
    return out;
  }

  /** Start of the tail to match: a word boundary at least `window` characters back. */
  private windowStart(whole: boolean): number {
    const b = this.buffer;
    let p = whole ? 0 : Math.max(0, b.length - this.window - this.unscanned);
    // Back to a space followed by a word of two or more characters (not inside spaced-out letters).
    while (
      p > 0 &&
      !(
        isSpace(b.charCodeAt(p - 1)) &&
        !isSpace(b.charCodeAt(p)) &&
        p + 1 < b.length &&
        !isSpace(b.charCodeAt(p + 1))
      )
    ) {
      p--;
    }
    if (p === 0 && this.frontPartial) {
      while (p < b.length && !isSpace(b.charCodeAt(p))) p++;
    }
    return p;
  }

  /** Drops old text (a quarter of the buffer at a time, so this is rare) and what was reported in it. */
  private forget(): void {
    const b = this.buffer;
    let cut = b.length - Math.floor((this.maxBuffer * 3) / 4);
    if ((b.charCodeAt(cut) & 0xfc00) === 0xdc00) cut++; // never split a surrogate pair
    this.frontPartial = !isSpace(b.charCodeAt(cut - 1)) && !isSpace(b.charCodeAt(cut));
    this.buffer = b.slice(cut);
    this.dropped += cut;
    for (const [key, start] of this.reported) if (start < this.dropped) this.reported.delete(key);
  }
}
