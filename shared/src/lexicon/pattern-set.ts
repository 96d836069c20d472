/**
 * The compiled patterns (spelling variants of terms and exceptions), packed into typed arrays so
 * that 100,000 of them cost a few allocations, not two small buffers each.
 */
export class PatternSet {
  count = 0;
  maxLength = 0;
  /** Normalised characters of pattern i: codes[start[i] .. start[i + 1]]. */
  codes = new Uint16Array(4096);
  /** Run length of each of those characters in the term (for the repeated-letter rule). */
  runs = new Uint8Array(4096);
  start = new Int32Array(1025);
  stem = new Uint8Array(1024);
  /** Entry index, or -(exception index + 1). */
  owner = new Int32Array(1024);

  length(i: number): number {
    return (this.start[i + 1] as number) - (this.start[i] as number);
  }

  /** Adds a pattern unless one of the patterns from index `since` on is identical. */
  add(
    codes: ArrayLike<number>,
    runs: ArrayLike<number>,
    length: number,
    stem: boolean,
    owner: number,
    since: number,
  ): void {
    for (let i = since; i < this.count; i++) if (this.equals(i, codes, runs, length)) return;
    const at = this.start[this.count] as number;
    if (at + length > this.codes.length) {
      const size = Math.max(at + length, this.codes.length * 2);
      this.codes = grow(this.codes, new Uint16Array(size));
      this.runs = grow(this.runs, new Uint8Array(size));
    }
    if (this.count + 2 > this.start.length) {
      const size = this.start.length * 2;
      this.start = grow(this.start, new Int32Array(size));
      this.stem = grow(this.stem, new Uint8Array(size));
      this.owner = grow(this.owner, new Int32Array(size));
    }
    for (let k = 0; k < length; k++) {
      this.codes[at + k] = codes[k] as number;
      this.runs[at + k] = runs[k] as number;
    }
    this.stem[this.count] = stem ? 1 : 0;
    this.owner[this.count] = owner;
    this.count++;
    this.start[this.count] = at + length;
    this.maxLength = Math.max(this.maxLength, length);
  }

  /** Trims the arrays to what is used (a compiled lexicon keeps them). */
  seal(): void {
    const used = this.start[this.count] as number;
    this.codes = this.codes.slice(0, used);
    this.runs = this.runs.slice(0, used);
    this.start = this.start.slice(0, this.count + 1);
    this.stem = this.stem.slice(0, this.count);
    this.owner = this.owner.slice(0, this.count);
  }

  get byteSize(): number {
    return (
      this.codes.byteLength +
      this.runs.byteLength +
      this.start.byteLength +
      this.stem.byteLength +
      this.owner.byteLength
    );
  }

  private equals(i: number, codes: ArrayLike<number>, runs: ArrayLike<number>, length: number): boolean {
    if (this.length(i) !== length) return false;
    const at = this.start[i] as number;
    for (let k = 0; k < length; k++) {
      if (this.codes[at + k] !== codes[k] || this.runs[at + k] !== runs[k]) return false;
    }
    return true;
  }
}

function grow<T extends Uint16Array | Uint8Array | Int32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
