import { describe, expect, it } from 'vitest';
import { highlightSegments } from './highlight.js';
import { safeHref } from './safe-url.js';

describe('highlightSegments', () => {
  it('marks every occurrence, case-insensitively, keeping the original text', () => {
    expect(highlightSegments('I want to DIE, die today', 'die')).toEqual([
      { text: 'I want to ', match: false },
      { text: 'DIE', match: true },
      { text: ', ', match: false },
      { text: 'die', match: true },
      { text: ' today', match: false },
    ]);
  });

  it('leaves text unmarked when the term is not there literally', () => {
    expect(highlightSegments('k1ll mys3lf', 'kill myself')).toEqual([{ text: 'k1ll mys3lf', match: false }]);
    expect(highlightSegments('', 'x')).toEqual([]);
  });

  it('keeps markup-looking text as plain segments', () => {
    const segments = highlightSegments('<img src=x onerror=alert(1)> worthless', 'worthless');
    expect(segments[0]).toEqual({ text: '<img src=x onerror=alert(1)> ', match: false });
  });
});

describe('safeHref', () => {
  it('allows only http and https', () => {
    expect(safeHref('https://example.org/a?b=1')).toBe('https://example.org/a?b=1');
    expect(safeHref('http://example.org')).toBe('http://example.org/');
    for (const bad of [
      'javascript:alert(1)',
      ' JavaScript:alert(1)',
      'data:text/html,<b>',
      'vbscript:x',
      '/relative',
      'file:///etc/passwd',
    ]) {
      expect(safeHref(bad)).toBeNull();
    }
  });
});
