import { KestrelError } from '../errors/kestrel-error.js';

/**
 * A lexicon file was rejected. The message has one line per problem (entry index, term, field and
 * what is wrong), at most 20; `problems` holds the same lines.
 */
export class LexiconError extends KestrelError {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super('VALIDATION_FAILED', problems.length > 0 ? problems.join('\n') : 'invalid lexicon');
    this.problems = problems;
  }
}
