import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from './csv.js';

describe('csvCell', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","x")', `"'=HYPERLINK(""http://evil.example"",""x"")"`],
    ['+1+cmd|/c calc', "'+1+cmd|/c calc"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', `"'\r=1"`],
  ])('neutralises a formula: %j', (value, cell) => expect(csvCell(value)).toBe(cell));

  it('quotes commas, quotes and line breaks, and leaves plain text and numbers alone', () => {
    expect(csvCell('a, "b"')).toBe('"a, ""b"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('Hillside Primary')).toBe('Hillside Primary');
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell(5)).toBe('5');
    expect(csvCell(null)).toBe('');
  });

  it('judges a number by its text, so a negative one is prefixed too', () => {
    expect(csvCell(-1)).toBe("'-1");
  });
});

describe('toCsv', () => {
  it('joins cells with commas and rows with CRLF, ending with one', () => {
    expect(
      toCsv([
        ['a', 1, null],
        ['=x', 'y,z', 2],
      ]),
    ).toBe(`a,1,\r\n'=x,"y,z",2\r\n`);
  });
});
