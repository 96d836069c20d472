import { describe, expect, it } from 'vitest';
import type { LexiconMatch, PhraseStream } from './engine-types.js';
import { compileLexicon } from './compile-lexicon.js';
import { parseLexicon } from './parse-lexicon.js';

const engine = compileLexicon(
  parseLexicon({
    format: 'kestrel-lexicon',
    formatVersion: 1,
    name: 'test',
    version: 't1',
    entries: [
      { term: 'kill myself', category: 'suicide', severity: 5 },
      { term: 'i want to die', category: 'suicide', severity: 5 },
      { term: 'suicid*', category: 'suicide', severity: 4 },
      { term: 'kill', category: 'violence', severity: 2 },
      { term: 'kys', category: 'bullying', severity: 4 },
      { term: 'breast', category: 'sexual-content', severity: 1 },
      { term: 'send nudes', category: 'cse', severity: 5 },
    ],
    exceptions: [{ phrase: 'breast cancer' }, { phrase: 'kill myself laughing' }],
  }),
);

/** Types text a character at a time and returns what each key reported, by index of the key. */
function type(stream: PhraseStream, text: string): Map<number, LexiconMatch[]> {
  const reports = new Map<number, LexiconMatch[]>();
  let i = 0;
  for (const ch of text) {
    const found = stream.push(ch);
    if (found.length > 0) reports.set(i, found);
    i += ch.length;
  }
  return reports;
}

describe('PhraseStream', () => {
  it('reports a match once, at the key that finishes its last word', () => {
    const s = engine.createStream();
    const reports = type(s, 'i want to die now');
    expect([...reports.keys()]).toEqual([13]); // the space after "die"
    const [m] = reports.get(13) ?? [];
    expect(m).toMatchObject({ term: 'i want to die', category: 'suicide', severity: 5 });
    expect(s.text.slice(m?.start, m?.end)).toBe('i want to die');
    expect(s.flush()).toEqual([]);
  });

  it('waits for the word to be whole: flush finishes the last word', () => {
    const s = engine.createStream();
    expect([...type(s, 'just kys').values()]).toEqual([]);
    expect(s.flush()).toMatchObject([{ term: 'kys', start: 5, end: 8 }]);
    expect(s.flush()).toEqual([]);
    expect(s.text).toBe('just kys');
  });

  it('does not fire on a word that goes on (kys → kyste)', () => {
    const s = engine.createStream();
    type(s, 'kyste ');
    expect(s.flush()).toEqual([]);
  });

  it('matches stems when their word ends', () => {
    const s = engine.createStream();
    const reports = type(s, 'suicidal thoughts');
    expect([...reports.values()].flat()).toMatchObject([{ term: 'suicid*', start: 0, end: 8 }]);
  });

  it('reports a pasted chunk at once', () => {
    const s = engine.createStream();
    expect(s.push('I want to die. ok')).toMatchObject([{ term: 'i want to die', start: 0, end: 13 }]);
  });

  it('follows backspace: a corrected typo matches', () => {
    const s = engine.createStream();
    type(s, 'kill myselg');
    s.backspace();
    type(s, 'f');
    expect(s.flush()).toMatchObject([{ term: 'kill myself' }]);
  });

  it('follows backspace: an un-finished word leaves no stale match', () => {
    const s = engine.createStream();
    type(s, 'send nudes');
    s.backspace(2);
    expect(s.text).toBe('send nud');
    expect(s.flush()).toEqual([]);
  });

  it('does not report the same term at the same place twice after deleting and retyping it', () => {
    const s = engine.createStream();
    expect([...type(s, 'kys ').values()].flat()).toHaveLength(1);
    s.backspace(4);
    expect([...type(s, 'kys ').values()].flat()).toEqual([]);
    // a different term at the same place is new
    s.backspace(4);
    expect([...type(s, 'kill it ').values()].flat()).toMatchObject([{ term: 'kill', start: 0, end: 4 }]);
  });

  it('deletes whole astral characters', () => {
    const s = engine.createStream();
    s.push('a😀');
    s.backspace();
    expect(s.text).toBe('a');
  });

  it('holds a match back while an exception could still complete', () => {
    const s = engine.createStream();
    expect(s.push('breast ')).toEqual([]);
    expect(s.push('cancer ')).toEqual([]);
    expect(s.push('research. ')).toEqual([]);
    expect(s.push('my breast ')).toEqual([]);
    expect(s.push('hurts ')).toMatchObject([{ term: 'breast' }]);
    const t = engine.createStream();
    type(t, 'i could kill myself');
    expect(t.flush()).toMatchObject([{ term: 'kill myself' }]);
    const u = engine.createStream();
    type(u, 'i could kill myself laughing ');
    expect(u.flush()).toEqual([]);
  });

  it('keeps at most maxBuffer characters and still reports every occurrence once', () => {
    const s = engine.createStream({ maxBuffer: 64 });
    let reported = 0;
    let typed = 0;
    for (let i = 0; i < 200; i++) {
      const sentence = i % 10 === 0 ? 'and kys again ' : 'the quick brown fox jumps over the dog ';
      if (i % 10 === 0) typed++;
      for (const ch of sentence) {
        for (const m of s.push(ch)) {
          expect(s.text.slice(m.start, m.end)).toBe('kys');
          reported++;
        }
        expect(s.text.length).toBeLessThanOrEqual(64);
      }
    }
    expect(reported).toBe(typed);
  });

  it('matches all of a paste longer than the buffer, with offsets into text', () => {
    const s = engine.createStream({ maxBuffer: 64 });
    type(s, 'some earlier typing that fills the buffer up nicely and more ');
    const paste = Array.from({ length: 100 }, (_, i) => (i % 10 === 3 ? 'kys' : 'word')).join(' ') + ' ';
    const found = s.push(paste);
    expect(found).toHaveLength(10);
    for (const m of found) expect(s.text.slice(m.start, m.end)).toBe('kys');
    s.push('x');
    expect(s.text.length).toBeLessThanOrEqual(64);
  });

  it('does not match a word cut in half when old text is forgotten', () => {
    const s = engine.createStream({ maxBuffer: 16 });
    // "skys" cut to "kys" at the front must not match
    for (const ch of 'xxxxxxxxxxxxxskys ') s.push(ch);
    expect(s.flush()).toEqual([]);
  });

  it('finds a phrase disguised beyond the per-key window at flush', () => {
    const s = engine.createStream();
    const hidden = (word: string): string => word.split('').join('\u200b'.repeat(30) + '.');
    const disguised = `i ${hidden('want')} to ${hidden('die')}`; // about 170 characters
    expect(disguised.length).toBeGreaterThan(4 * 'kill myself laughing'.length + 32);
    expect(engine.match(disguised).map((m) => m.term)).toEqual(['i want to die']);
    const found = [...type(s, disguised).values()].flat().concat(s.flush());
    expect(found.map((m) => m.term)).toEqual(['i want to die']);
  });

  it('forgets everything on reset', () => {
    const s = engine.createStream();
    type(s, 'kys ');
    s.reset();
    expect(s.text).toBe('');
    expect([...type(s, 'kys ').values()].flat()).toHaveLength(1);
  });

  it('finds what batch matching finds, typed a key at a time', () => {
    const texts = [
      'i want to diiiie tonight',
      'k.i.l.l  m.y.s.e.l.f',
      'he said kys, then KYS!!!',
      'Suicidal? no. Just tired.',
      '😀 send nudes 😀',
      'i could kill myself, honestly',
    ];
    for (const text of texts) {
      const s = engine.createStream();
      const streamed = [...type(s, text).values()].flat().concat(s.flush());
      const key = (m: LexiconMatch) => `${m.start}:${m.end}:${m.term}`;
      const batch = engine.match(text).map(key);
      // the stream may also report a shorter match it saw before the longer one was typed
      expect(streamed.map(key), text).toEqual(expect.arrayContaining(batch));
    }
  });
});
