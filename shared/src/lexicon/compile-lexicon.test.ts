import { describe, expect, it } from 'vitest';
import type { Category } from '../protocol/categories.js';
import { compileLexicon } from './compile-lexicon.js';
import { loadDefaultLexicon } from './default-lexicon.js';
import { parseLexicon } from './parse-lexicon.js';

type Row = [term: string, category: Category, severity: number, ageBands?: string[]];

function lexicon(rows: Row[], exceptions: { phrase: string; categories?: Category[] }[] = []) {
  return parseLexicon({
    format: 'kestrel-lexicon',
    formatVersion: 1,
    name: 'test',
    version: 't1',
    entries: rows.map(([term, category, severity, ageBands]) => ({
      term,
      category,
      severity,
      ...(ageBands ? { ageBands } : {}),
    })),
    exceptions,
  });
}

const engine = compileLexicon(
  lexicon(
    [
      ['kill myself', 'suicide', 5],
      ['i want to die', 'suicide', 5],
      ['suicid*', 'suicide', 4],
      ['cut myself', 'self-harm', 5],
      ['self-harm', 'self-harm', 4],
      ['our little secret', 'cse', 5],
      ["don't tell your parents", 'cse', 5],
      ['porn*', 'sexual-content', 3],
      ['child porn*', 'illegal', 5],
      ['ass', 'sexual-content', 1],
      ['sex', 'sexual-content', 2],
      ['breast', 'sexual-content', 1],
      ['penis', 'sexual-content', 2],
      ['clit', 'sexual-content', 2],
      ['cock', 'sexual-content', 2],
      ['anal', 'sexual-content', 2],
      ['rape', 'violence', 4],
      ['rapist', 'violence', 3],
      ['cunt', 'bullying', 3],
      ['kys', 'bullying', 4],
      ['retard', 'discrimination', 3],
      ['join isis', 'extremism', 5],
      ['cocaine', 'drugs', 3],
      ['kill', 'violence', 2],
      ['stab him', 'violence', 4],
      ['online casino', 'gambling', 2],
      ['free proxy', 'circumvention', 2],
      ['1488', 'extremism', 3],
    ],
    [
      { phrase: 'breast cancer' },
      { phrase: 'sex education', categories: ['sexual-content'] },
      { phrase: 'kill time', categories: ['drugs'] },
    ],
  ),
);

const terms = (text: string) => engine.match(text).map((m) => m.term);

describe('matching per category', () => {
  it.each<[Category, string, string]>([
    ['suicide', 'sometimes i want to die', 'i want to die'],
    ['self-harm', 'i cut myself again', 'cut myself'],
    ['cse', 'this is our little secret ok', 'our little secret'],
    ['illegal', 'where to find child pornography', 'child porn*'],
    ['sexual-content', 'free porn videos', 'porn*'],
    ['bullying', 'just kys', 'kys'],
    ['discrimination', 'you retard', 'retard'],
    ['extremism', 'we should join isis', 'join isis'],
    ['drugs', 'got any cocaine', 'cocaine'],
    ['violence', 'i will stab him tomorrow', 'stab him'],
    ['gambling', 'best online casino uk', 'online casino'],
    ['circumvention', 'need a free proxy for school', 'free proxy'],
  ])('%s: %j', (category, text, term) => {
    const matches = engine.match(text);
    expect(matches).toHaveLength(1);
    expect(matches[0]).toMatchObject({ category, term });
    const span = text.slice(matches[0]?.start, matches[0]?.end);
    expect(term.endsWith('*') ? span.startsWith(term.slice(0, -1)) : span === term).toBe(true);
  });
});

describe('evasions', () => {
  it.each([
    ['upper case', 'I WANT TO KILL MYSELF', 'KILL MYSELF'],
    ['leet digits', 'gonna k1ll mys3lf', 'k1ll mys3lf'],
    ['leet symbols', 'thinking about $uicide', '$uicide'],
    ['one-like symbols', 'k!ll myse|f', 'k!ll myse|f'],
    ['doubled ones', 'ki11 myself', 'ki11 myself'],
    ['Cyrillic homoglyphs', 'і wаnt tо dіе', 'і wаnt tо dіе'],
    ['Greek homoglyphs', 'κill myself', 'κill myself'],
    ['fullwidth', 'ｋｉｌｌ ｍｙｓｅｌｆ', 'ｋｉｌｌ ｍｙｓｅｌｆ'],
    ['zero-width', 'k\u200bill my\u200dself', 'k\u200bill my\u200dself'],
    ['accents and marks', 'kíll mýself', 'kíll mýself'],
    ['repeated letters', 'i want to diiiiie', 'i want to diiiiie'],
    ['repeated doubles', 'killllll myyyyself', 'killllll myyyyself'],
    ['spaced letters', 'ok k i l l  m y s e l f', 'k i l l  m y s e l f'],
    ['dotted letters', 'k.i.l.l m.y.s.e.l.f now', 'k.i.l.l m.y.s.e.l.f'],
    ['hyphenated letters', 'k-i-l-l myself', 'k-i-l-l myself'],
    ['letters run together', 'killmyself', 'killmyself'],
    ['spaced letters run together', 'k i l l m y s e l f', 'k i l l m y s e l f'],
    ['punctuation between words', 'kill... myself', 'kill... myself'],
    ['newlines and tabs between words', 'kill\n\t myself', 'kill\n\t myself'],
    ['apostrophe dropped', 'dont tell your parents', 'dont tell your parents'],
    ['curly apostrophe', 'don’t tell your parents', 'don’t tell your parents'],
    ['hyphen dropped', 'selfharm', 'selfharm'],
    ['hyphen as space', 'self harm', 'self harm'],
    ['leet run together', 'k1llmys3lf', 'k1llmys3lf'],
    ['dotted words among plain ones', 'i w.a.n.t to d.i.e', 'i w.a.n.t to d.i.e'],
    ['spaced word after an article', "he's a r e t a r d lol", 'r e t a r d'],
    ['spaced word starting with a', 'so a n a l', 'a n a l'],
    ['spaced phrase starting with i', 'i w a n t t o d i e', 'i w a n t t o d i e'],
  ])('%s: %j', (_kind, text, span) => {
    const matches = engine.match(text);
    expect(matches.length).toBeGreaterThan(0);
    const m = matches[0];
    expect(text.slice(m?.start, m?.end)).toBe(span);
  });
});

describe('Scunthorpe traps: no term fires inside an innocent word', () => {
  it.each([
    'Scunthorpe United won',
    'we ate a grape',
    'my therapist said',
    'data analysis homework',
    'a fruit cocktail',
    'the train to Penistone',
    'Clitheroe castle',
    'a walk in Cockermouth',
    'the assassin in Macbeth',
    'my class went on a trip',
    'keep off the grass',
    'as far as i know',
    'the essex and sussex coast',
    'skill myself up', // "kill" inside "skill"
    'I am suicidally-minded?', // stems need a word start: not this one either way
  ])('%j', (text) => {
    const hits = engine.match(text).filter((m) => m.term !== 'suicid*');
    expect(hits).toEqual([]);
  });

  it('leaves numbers alone: leetspeak needs a letter in the same word', () => {
    expect(engine.match('year 7 got 3 kills and 101 points in 2024')).toEqual([]);
    expect(terms('a55')).toEqual(['ass']);
    expect(terms('14 88')).toEqual([]);
    expect(terms('they wrote 1488')).toEqual(['1488']);
  });

  it('tells a real double from a single letter, and emphasis from both', () => {
    expect(terms('as')).toEqual([]);
    expect(terms('ass')).toEqual(['ass']);
    expect(terms('asssss')).toEqual(['ass']);
    expect(terms('diie')).toEqual([]);
    expect(terms('i want to diiie')).toEqual(['i want to die']);
  });
});

describe('stems', () => {
  it('match a word prefix and report the whole word', () => {
    const text = 'he was suicidal last year';
    const [m] = engine.match(text);
    expect(m?.term).toBe('suicid*');
    expect(text.slice(m?.start, m?.end)).toBe('suicidal');
    expect(terms('suicide')).toEqual(['suicid*']);
    expect(terms('pornography')).toEqual(['porn*']);
  });

  it('still need a word start', () => {
    expect(terms('antisuicide')).toEqual([]);
  });

  it('report the longer, graver phrase and not the stem inside it', () => {
    expect(engine.match('child pornography')).toEqual([
      { category: 'illegal', severity: 5, term: 'child porn*', start: 0, end: 17 },
    ]);
  });
});

describe('exceptions', () => {
  it('cancel an overlapping match', () => {
    expect(engine.match('breast cancer awareness week')).toEqual([]);
    expect(terms('a breast')).toEqual(['breast']);
  });

  it('only for their categories', () => {
    expect(engine.match('sex education lesson')).toEqual([]);
    expect(terms('kill time')).toEqual(['kill']); // exception limited to drugs
  });

  it('apply to evaded spellings too', () => {
    expect(engine.match('BREAST  CANCER')).toEqual([]);
  });
});

describe('overlapping entries', () => {
  it('report the most severe entry once for one span', () => {
    const lex = compileLexicon(
      lexicon([
        ['kill', 'violence', 2],
        ['kill', 'bullying', 3],
      ]),
    );
    expect(lex.match('kill')).toEqual([
      { category: 'bullying', severity: 3, term: 'kill', start: 0, end: 4 },
    ]);
  });

  it('drop a less severe match inside a longer one, keep both otherwise', () => {
    expect(terms('i will kill myself')).toEqual(['kill myself']);
    expect(terms('i will kill him and kill myself')).toEqual(['kill', 'kill myself']);
  });
});

describe('large inputs', () => {
  it('stay linear with many matches and exceptions in one text', () => {
    const text = 'kys and breast cancer and kill myself then a breast. '.repeat(20_000);
    const matches = engine.match(text);
    expect(matches.filter((m) => m.term === 'kys')).toHaveLength(20_000);
    expect(matches.filter((m) => m.term === 'breast')).toHaveLength(20_000);
    expect(matches.filter((m) => m.term === 'kill')).toHaveLength(0);
    expect(matches).toHaveLength(60_000);
  });
});

describe('robustness', () => {
  // Seeded, so a failure reproduces.
  let seed = 42;
  const random = (): number => {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
    return seed / 2 ** 32;
  };
  const pool = [..."kilmysefdą1!|$@3 .-_'’\u200b\u0301кі😀\ud800\u0000\n"];
  const randomText = (): string =>
    Array.from({ length: Math.floor(random() * 40) }, () => pool[Math.floor(random() * pool.length)]).join(
      '',
    );

  it('returns well-formed matches for arbitrary text, in batch and typed', () => {
    for (let n = 0; n < 3000; n++) {
      const text = random() < 0.3 ? `${randomText()} kill myself ${randomText()}` : randomText();
      let last = -1;
      for (const m of engine.match(text)) {
        expect(m.start).toBeGreaterThanOrEqual(0);
        expect(m.end).toBeGreaterThan(m.start);
        expect(m.end).toBeLessThanOrEqual(text.length);
        expect(m.start).toBeGreaterThanOrEqual(last);
        last = m.start;
      }
      const stream = engine.createStream({ maxBuffer: 32 });
      for (const ch of text) {
        if (random() < 0.1) stream.backspace();
        for (const m of stream.push(ch)) expect(m.end).toBeLessThanOrEqual(stream.text.length);
      }
      for (const m of stream.flush()) expect(m.end).toBeLessThanOrEqual(stream.text.length);
    }
  });

  it('reads very long runs of one letter as emphasis', () => {
    expect(terms(`ki${'l'.repeat(1000)} myself`)).toEqual(['kill myself']);
  });
});

describe('offsets into the original text', () => {
  it('count UTF-16 units of emoji and astral letters before the match', () => {
    const text = '😀😀 🏳️‍🌈 𝐤𝐢𝐥𝐥 myself';
    const [m] = engine.match(text);
    expect(m?.term).toBe('kill myself');
    expect(text.slice(m?.start, m?.end)).toBe('𝐤𝐢𝐥𝐥 myself');
  });

  it('cover the whole evaded span', () => {
    const text = 'k.i.l.l  m y s e l f';
    expect(engine.match(text)).toEqual([
      { category: 'suicide', severity: 5, term: 'kill myself', start: 0, end: 20 },
    ]);
  });

  it('end after combining marks on the last letter, so a highlight never splits a letter', () => {
    const text = 'kill myselfe\u0301 and kill myse\u0301lf\u0301';
    const spans = engine
      .match(text)
      .filter((m) => m.term === 'kill myself')
      .map((m) => text.slice(m.start, m.end));
    expect(spans).toEqual(['kill myse\u0301lf\u0301']);
    const accented = 'i want to kill myself\u0301';
    const [m] = engine.match(accented);
    expect(m?.end).toBe(accented.length);
  });

  it('report every occurrence in order', () => {
    const text = 'kys. really, kys! KYS';
    expect(engine.match(text).map((m) => [m.start, m.end])).toEqual([
      [0, 3],
      [13, 16],
      [18, 21],
    ]);
  });
});

describe('compile options', () => {
  it('select entries by age band', () => {
    const file = lexicon([
      ['tits', 'sexual-content', 2, ['secondary', 'sixth-form']],
      ['kys', 'bullying', 4],
    ]);
    expect(compileLexicon(file).size).toBe(2);
    const primary = compileLexicon(file, { ageBand: 'primary' });
    expect(primary.size).toBe(1);
    expect(primary.match('tits kys').map((m) => m.term)).toEqual(['kys']);
  });

  it('report version and size', () => {
    expect(engine.version).toBe('t1');
    expect(engine.size).toBe(28);
  });
});

describe('the default lexicon', () => {
  const lex = compileLexicon(loadDefaultLexicon());

  it.each([
    ['i want to kill myself', 'suicide'],
    ['unalive myself', 'suicide'],
    ['send nudes', 'cse'],
    ["it's our little secret", 'cse'],
    ['kys', 'bullying'],
    ['join isis', 'extremism'],
    ['free proxy', 'circumvention'],
  ])('%j is %s', (text, category) => {
    expect(lex.match(text).map((m) => m.category)).toContain(category);
  });

  it('has no match in ordinary school sentences', () => {
    for (const text of [
      'Please hand in your analysis of the poem by Friday.',
      'We are going to Scunthorpe and Penistone on the school trip.',
      'The therapist in the story helps the main character.',
      'Breast cancer awareness week raises money for research.',
      'I nearly killed myself laughing at that video.',
    ]) {
      expect(lex.match(text), text).toEqual([]);
    }
  });
});
