import { describe, expect, it } from 'vitest';
import { assertSafeEntryName, zipFiles } from './zip-files.js';

describe('zip entry names', () => {
  it.each(['README.txt', 'screenshots/0f6c.jpg', 'evidence/a-b_c.d.png', 'manifest.sha256'])(
    'accepts %s',
    (name) => expect(() => assertSafeEntryName(name)).not.toThrow(),
  );

  it.each([
    '',
    '../escape.txt',
    'screenshots/../../escape.txt',
    'screenshots/..',
    './README.txt',
    '/etc/passwd',
    '\\\\server\\share\\x',
    'screenshots\\..\\x',
    'C:evil.txt',
    'c:/windows/x',
    'screenshots//x.jpg',
    'screenshots/',
    'name\u0000.jpg',
    'line\nbreak.txt',
    'x'.repeat(256),
  ])('refuses %j', (name) => expect(() => assertSafeEntryName(name)).toThrow(/unsafe zip entry name/));

  it('refuses to build an archive with an unsafe entry name', async () => {
    const bytes = Buffer.from('x');
    await expect(
      zipFiles([
        { path: 'README.txt', bytes },
        { path: 'screenshots/../../../tmp/x', bytes },
      ]),
    ).rejects.toThrow(/unsafe zip entry name/);
    await expect(zipFiles([{ path: 'screenshots/a.jpg', bytes }])).resolves.toBeInstanceOf(Buffer);
  });
});
