/**
 * Every word of the Debian British English dictionary (wbritish) goes through the engine with the
 * default lexicon, alone and in sentences. A hit that starts or ends inside a word is a false
 * positive of the Scunthorpe kind and fails the test; whole-word hits on dictionary words that are
 * lexicon terms are expected and only reported.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileLexicon, loadDefaultLexicon, type LexiconMatch } from '@kestrel/shared/lexicon';

const DICTIONARY = '/usr/share/dict/british-english';
const SENTENCE_WORDS = 12;

const isLetter = (s: string, i: number): boolean => i >= 0 && i < s.length && /\p{L}/u.test(s[i] as string);

/** A hit cuts a word when a letter sits on both sides of its start or of its end. */
function cutsWord(text: string, m: LexiconMatch): boolean {
  return (
    (isLetter(text, m.start - 1) && isLetter(text, m.start)) ||
    (isLetter(text, m.end - 1) && isLetter(text, m.end))
  );
}

describe('dictionary words', () => {
  it('no hit starts or ends inside a word', () => {
    if (!existsSync(DICTIONARY)) expect.fail(`${DICTIONARY} is missing: apt-get install wbritish`);
    const words = readFileSync(DICTIONARY, 'utf8')
      .split('\n')
      .filter((w) => w !== '');
    const lexicon = compileLexicon(loadDefaultLexicon());
    const cuts: string[] = [];
    const whole = new Map<string, Set<string>>();
    const check = (text: string): void => {
      for (const m of lexicon.match(text)) {
        if (cutsWord(text, m)) {
          cuts.push(
            `${JSON.stringify(text.slice(Math.max(0, m.start - 15), m.end + 15))} → ${m.term} (${m.category})`,
          );
        } else {
          const seen = whole.get(m.term) ?? new Set<string>();
          seen.add(text.slice(m.start, m.end).toLowerCase());
          whole.set(m.term, seen);
        }
      }
    };
    for (const word of words) check(word);
    for (let i = 0; i < words.length; i += SENTENCE_WORDS) {
      const slice = words.slice(i, i + SENTENCE_WORDS);
      check(slice.join(' '));
      check(`${slice.join(', ')}.`);
    }
    const report = [...whole]
      .map(([term, found]) => {
        const spans = [...found].slice(0, 6).map((f) => JSON.stringify(f));
        return `  ${term}: ${spans.join(' ')}${found.size > 6 ? ' …' : ''}`;
      })
      .sort();
    console.log(
      `${words.length} dictionary words; whole-word hits on ${whole.size} terms:\n${report.join('\n')}`,
    );
    expect(cuts, `hits inside words:\n${cuts.slice(0, 50).join('\n')}`).toEqual([]);
  });
});
