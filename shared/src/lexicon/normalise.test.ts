import { describe, expect, it } from 'vitest';
import { NormalisedText, normalise } from './normalise.js';

function norm(text: string): string {
  const out = new NormalisedText();
  normalise(text, out);
  return out.toString();
}

describe('normalise', () => {
  it.each([
    ['case', 'KiLL MySelf', 'kill myself'],
    ['fullwidth (NFKC)', 'ｋｉｌｌ　ｍｙｓｅｌｆ', 'kill myself'],
    ['mathematical letters (NFKC)', '𝐤𝐢𝐥𝐥', 'kill'],
    ['ligature', 'ﬁght', 'fight'],
    ['accents', 'kíll mysélf', 'kill myself'],
    ['combining marks', 'k\u0301i\u0308ll', 'kill'],
    ['zero-width characters', 'k\u200bi\u200cl\u200dl\u2060\ufeff', 'kill'],
    ['soft hyphen', 'sui\u00adcide', 'suicide'],
    ['Cyrillic look-alikes', 'кіll туѕеlf', 'kill tyself'],
    ['Greek look-alikes', 'κιll', 'kill'],
    ['sharp s', 'straße', 'strasse'],
    ['leet digits', 'k1ll mys3lf', 'kill myself'],
    ['leet symbols', '$uicide @ss', 'suicide ass'],
    ['one-like as i', 'k!ll su!c1de', 'kill suicide'],
    ['bar as l', 'myse|f', 'myself'],
    ['one-like pairs as l', 'ki11 ki||', 'kill kill'],
    ['edge punctuation is not leet', 'die!!! +1 c++', 'die 1 c '],
    ['numbers stay numbers', 'year 7 in room 101 at 3:45', 'year 7 in room 101 at 3 45'],
    ['money stays money', 'it costs $5', 'it costs 5'],
    ['spaced-out letters', 'k i l l  m y s e l f', 'kill myself'],
    ['dotted letters', 'k.i.l.l m.y.s.e.l.f', 'kill myself'],
    ['hyphenated letters', 'k-i-l-l', 'kill'],
    ['spaced letters with leet', 'k 1 l l', 'kill'],
    ['spaced letters run into words', 'k i l l m y s e l f', 'killmyself'],
    ['two single letters stay apart', 'plan a b', 'plan a b'],
    ['a run restarts where its gap changes', 'i w.a.n.t to d.i.e', 'i want to die'],
    ['a spaced-out leading "i" stays a word', 'i c u t  m y s e l f', 'i cut myself'],
    ['a spaced-out leading "a" stays a word', 'a p a k i', 'a paki'],
    ['a dotted word keeps its leading "a"', 'a.n.a.l', 'anal'],
    ['three spaced letters stay one word', 'a s s', 'ass'],
    ['a contraction does not start a run', "he's a r e t a r d", 'he s a retard'],
    ['mixed gaps stay apart', 'a, b, c', 'a b c'],
    ['punctuation runs are one separator', 'kill... ,,, myself!!', 'kill myself '],
    ['apostrophes separate', "don't", 'don t'],
    ['emoji separate', 'kill😀myself', 'kill myself'],
    ['repeated letters keep their count', 'diiiie', 'diiiie'],
  ])('%s: %j -> %j', (_kind, text, expected) => {
    expect(norm(text)).toBe(expected);
  });

  it('squeezes runs into one character with a count and an original span', () => {
    const out = new NormalisedText();
    normalise('xkilllll', out, 1);
    expect(out.length).toBe(3);
    expect(Array.from(out.codes.slice(0, 3), (c) => String.fromCharCode(c)).join('')).toBe('kil');
    expect(Array.from(out.runs.slice(0, 3))).toEqual([1, 1, 5]);
    expect(out.starts[0]).toBe(1);
    expect(out.ends[2]).toBe(8);
  });

  it('maps astral characters to their UTF-16 span', () => {
    const out = new NormalisedText();
    normalise('😀 𝐤x', out);
    // "k" is a surrogate pair at 3..5
    expect(out.toString()).toBe('kx');
    expect([out.starts[0], out.ends[0], out.starts[1], out.ends[1]]).toEqual([3, 5, 5, 6]);
  });

  it('marks a trailing separator so a stream knows the last word is finished', () => {
    expect(norm('kill ')).toBe('kill ');
    expect(norm('kill')).toBe('kill');
  });
});
