import { KestrelError } from '../errors/kestrel-error.js';

/**
 * A lexicon file was rejected. The message names the first problem (entry index, term, field and
 * what is wrong); `problems` lists all of them.
 */
export class LexiconError extends KestrelError {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    const first = problems[0] ?? 'invalid lexicon';
    const more =
      problems.length > 1
        ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})`
        : '';
    super('VALIDATION_FAILED', `${first}${more}`);
    this.problems = problems;
  }
}
