import { describe, expect, it } from 'vitest';
import { MultipartError, formDataBoundary, parseFormData } from './multipart.js';

function nth<T>(items: T[], i: number): T {
  const item = items[i];
  if (item === undefined) throw new Error(`no item ${i}`);
  return item;
}

const B = 'kestrel-test-boundary';
const body = (...lines: (string | Buffer)[]) =>
  Buffer.concat(lines.map((l) => (typeof l === 'string' ? Buffer.from(l, 'latin1') : l)));

describe('formDataBoundary', () => {
  it('reads a plain or quoted boundary, case-insensitively for the type', () => {
    expect(formDataBoundary(`multipart/form-data; boundary=${B}`)).toBe(B);
    expect(formDataBoundary(`Multipart/Form-Data; charset=utf-8; boundary="a b:c"`)).toBe('a b:c');
  });

  it('refuses other types, a missing boundary and one outside RFC 2046', () => {
    expect(formDataBoundary('application/json')).toBeUndefined();
    expect(formDataBoundary('multipart/mixed; boundary=x')).toBeUndefined();
    expect(formDataBoundary('multipart/form-data')).toBeUndefined();
    expect(formDataBoundary(`multipart/form-data; boundary=${'x'.repeat(71)}`)).toBeUndefined();
    expect(formDataBoundary('multipart/form-data; boundary="ends in space "')).toBeUndefined();
    expect(formDataBoundary(undefined)).toBeUndefined();
  });
});

describe('parseFormData', () => {
  const image = Buffer.from([0xff, 0xd8, 0x0d, 0x0a, 0x2d, 0x2d, 0x00, 0xff, 0xd9]); // CRLF-- inside

  it('splits fields and files, with bodies as views of the request body', () => {
    const raw = body(
      'preamble to ignore\r\n',
      `--${B}\r\n`,
      'Content-Disposition: form-data; name="metadata"\r\n',
      'Content-Type: application/json\r\n\r\n',
      '{"a":1}',
      `\r\n--${B}  \r\n`, // transport padding after a boundary is allowed
      'content-disposition: form-data; name="screenshot"; filename="s.jpg"\r\n',
      'content-type: IMAGE/JPEG; q=1\r\n\r\n',
      image,
      `\r\n--${B}--\r\nepilogue`,
    );
    const parts = parseFormData(raw, B, 2);
    expect(parts.map((p) => [p.name, p.filename, p.contentType])).toEqual([
      ['metadata', undefined, 'application/json'],
      ['screenshot', 's.jpg', 'image/jpeg'],
    ]);
    expect(nth(parts, 0).body.toString()).toBe('{"a":1}');
    expect(nth(parts, 1).body).toEqual(image);
    expect(nth(parts, 1).body.buffer).toBe(raw.buffer); // no copy
  });

  it('reads what a real FormData encodes, UTF-8 names included', async () => {
    const form = new FormData();
    form.append('metadata', JSON.stringify({ user: 'Zoë' }));
    form.append('screenshot', new Blob([image], { type: 'image/jpeg' }), 'écran "1".jpg');
    const response = new Response(form);
    const boundary = formDataBoundary(response.headers.get('content-type') ?? undefined);
    expect(boundary).toBeDefined();
    const parts = parseFormData(Buffer.from(await response.arrayBuffer()), boundary ?? '', 2);
    expect(parts[0]).toMatchObject({ name: 'metadata', contentType: 'text/plain' });
    expect(JSON.parse(nth(parts, 0).body.toString('utf8'))).toEqual({ user: 'Zoë' });
    expect(parts[1]).toMatchObject({ name: 'screenshot', contentType: 'image/jpeg' });
    expect(nth(parts, 1).filename).toContain('écran');
    expect(nth(parts, 1).body).toEqual(image);
  });

  const part = (name: string, content = 'x') =>
    `--${B}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${content}\r\n`;

  it.each([
    ['no boundary at all', 'just text'],
    ['a body cut inside a part', `${part('a')}--${B}\r\nContent-Disposition: form-data; name="b"\r\n\r\nhal`],
    ['a body cut after a delimiter', `${part('a')}--${B}`],
    ['garbage after a boundary', `--${B}garbage\r\n`],
    ['a part without Content-Disposition', `--${B}\r\nContent-Type: text/plain\r\n\r\nx\r\n--${B}--`],
    [
      'a part that is not form data',
      `--${B}\r\nContent-Disposition: attachment; name="a"\r\n\r\nx\r\n--${B}--`,
    ],
    ['a part without a name', `--${B}\r\nContent-Disposition: form-data\r\n\r\nx\r\n--${B}--`],
    [
      'a header line without a colon',
      `--${B}\r\nContent-Disposition: form-data; name="a"\r\nbogus\r\n\r\nx\r\n--${B}--`,
    ],
    ['an unterminated quoted name', `--${B}\r\nContent-Disposition: form-data; name="a\r\n\r\nx\r\n--${B}--`],
    [
      'headers that never end',
      `--${B}\r\nContent-Disposition: form-data; name="a"\r\nX: ${'y'.repeat(9000)}\r\n\r\nx\r\n--${B}--`,
    ],
    ['more parts than allowed', `${part('a')}${part('b')}${part('c')}--${B}--`],
  ])('refuses %s', (_what, raw) => {
    expect(() => parseFormData(Buffer.from(raw, 'latin1'), B, 2)).toThrow(MultipartError);
  });

  it('accepts an empty form and a part with an empty body', () => {
    expect(parseFormData(Buffer.from(`--${B}--\r\n`), B, 2)).toEqual([]);
    const [only] = parseFormData(Buffer.from(`${part('a', '')}--${B}--`), B, 2);
    expect(only?.body.length).toBe(0);
  });
});
