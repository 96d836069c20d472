import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATEGORIES, compileLexicon, loadDefaultLexicon } from '@kestrel/shared';
import {
  BASE_FILE,
  EVASIONS,
  POSITIVES_FILE,
  generatePositives,
  readJsonl,
  type BasePositive,
} from '../fixtures/lexicon-eval/generate.js';
import {
  MAX_FALSE_POSITIVES,
  MIN_RECALL,
  evaluate,
  formatReport,
  loadBenign,
  loadPositives,
  recall,
} from '../fixtures/lexicon-eval/evaluate.js';

// The labelled evaluation set (test/fixtures/lexicon-eval, described in docs/detection.md) and the
// thresholds `npm run eval:lexicon` enforces, so CI guards them too.
describe('lexicon evaluation set', () => {
  const bases = readJsonl<BasePositive>(BASE_FILE);
  const positives = loadPositives();
  const benign = loadBenign();

  it('positives.jsonl is exactly what generate.ts derives from base-positives.jsonl', () => {
    expect(readFileSync(POSITIVES_FILE, 'utf8')).toBe(generatePositives(bases));
  });

  it('is big and broad enough to mean something', () => {
    expect(bases.length).toBeGreaterThanOrEqual(150);
    expect(new Set(bases.map((b) => b.category))).toEqual(new Set(CATEGORIES));
    for (const category of CATEGORIES) {
      expect(bases.filter((b) => b.category === category).length, category).toBeGreaterThanOrEqual(10);
    }
    expect(new Set(positives.map((p) => p.evasion))).toEqual(new Set(EVASIONS));
    expect(benign.length).toBeGreaterThanOrEqual(300);
    expect(new Set(benign.map((b) => b.text)).size).toBe(benign.length);
  });

  it('every base positive is caught as typed, with its labelled category', () => {
    const lexicon = compileLexicon(loadDefaultLexicon());
    const missed = bases.filter((b) => !lexicon.match(b.text).some((m) => m.category === b.category));
    expect(missed).toEqual([]);
  });

  it(`recall over evasion variants is at least ${MIN_RECALL * 100}% and no benign sentence matches`, () => {
    const report = evaluate(compileLexicon(loadDefaultLexicon()), positives, benign);
    const summary = formatReport(report);
    expect(recall(report.overall), summary).toBeGreaterThanOrEqual(MIN_RECALL);
    expect(report.falsePositives.length, summary).toBeLessThanOrEqual(MAX_FALSE_POSITIVES);
    // Typed one character at a time through the agent's phrase stream, with a typo corrected.
    expect(recall(report.stream.overall), summary).toBeGreaterThanOrEqual(MIN_RECALL);
    expect(report.stream.falsePositives.length, summary).toBeLessThanOrEqual(MAX_FALSE_POSITIVES);
  });
});
