import type { z } from 'zod';
import { LexiconError } from './lexicon-error.js';
import { lexiconFileSchema, type LexiconFile } from './schema.js';

const MAX_PROBLEMS = 20;

/**
 * Validates a lexicon file (already parsed from JSON). Throws a LexiconError whose message names
 * the entry and the problem: `entries[12] "kil myself": severity: must be between 1 and 5`.
 * Besides the schema it rejects a term listed twice in one category and an exception that is
 * also a term (one of the two is a mistake).
 */
export function parseLexicon(json: unknown): LexiconFile {
  const result = lexiconFileSchema.safeParse(json);
  if (!result.success) {
    throw new LexiconError(result.error.issues.slice(0, MAX_PROBLEMS).map((i) => describeIssue(i, json)));
  }
  const file = result.data;
  const problems: string[] = [];
  const seen = new Map<string, number>();
  const terms = new Map<string, number>();
  file.entries.forEach((entry, index) => {
    const key = `${entry.category}\u0000${entry.term}`;
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push(
        `entries[${index}] "${entry.term}": duplicate of entries[${first}] (same term and category)`,
      );
    } else {
      seen.set(key, index);
    }
    const bare = entry.term.endsWith('*') ? entry.term.slice(0, -1) : entry.term;
    if (!terms.has(bare)) terms.set(bare, index);
  });
  file.exceptions.forEach((exception, index) => {
    const term = terms.get(exception.phrase);
    if (term !== undefined) {
      problems.push(
        `exceptions[${index}] "${exception.phrase}": equals the term of entries[${term}]; a phrase cannot be both`,
      );
    }
  });
  if (problems.length > 0) throw new LexiconError(problems.slice(0, MAX_PROBLEMS));
  return file;
}

function describeIssue(issue: z.core.$ZodIssue, json: unknown): string {
  const path = issue.path;
  let where = '';
  let rest = path;
  const list = path[0];
  const index = path[1];
  if ((list === 'entries' || list === 'exceptions') && typeof index === 'number') {
    const item = at(json, [list, index]);
    const label = list === 'entries' ? at(item, ['term']) : at(item, ['phrase']);
    where = `${list}[${index}]${typeof label === 'string' ? ` ${JSON.stringify(label)}` : ''}`;
    rest = path.slice(2);
  }
  const field = rest.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.');
  const subject = [where, field].filter((s) => s !== '').join(': ');
  const problem = describeProblem(issue, at(json, path), field);
  return subject === '' ? problem : `${subject}: ${problem}`;
}

function describeProblem(issue: z.core.$ZodIssue, value: unknown, field: string): string {
  switch (issue.code) {
    case 'invalid_type':
      return value === undefined
        ? 'is required'
        : `must be ${article(issue.expected)} (got ${typeName(value)})`;
    case 'too_small':
    case 'too_big':
      if (field === 'severity') return 'must be between 1 and 5';
      return issue.code === 'too_small'
        ? `must be at least ${String(issue.minimum)}${issue.origin === 'string' ? ' characters' : ''}`
        : `must be at most ${String(issue.maximum)}${issue.origin === 'string' ? ' characters' : ''}`;
    case 'invalid_value':
      if (value === undefined)
        return `is required (${issue.values.map((v) => JSON.stringify(v)).join(' or ')})`;
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}${
        value === undefined ? '' : ` (got ${JSON.stringify(value)})`
      }`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    default:
      return issue.message;
  }
}

function at(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
