import yazl from 'yazl';

/**
 * An entry name must stay inside the folder the archive is unpacked into: relative, forward
 * slashes only, no empty, `.` or `..` segment, no drive letter and no control characters. Pack
 * builders make names from server ids; this is the last line should one ever come from an agent.
 */
export function assertSafeEntryName(path: string): void {
  const segments = path.split('/');
  const bad =
    path.length === 0 ||
    path.length > 255 ||
    path.includes('\\') ||
    /^[a-z]:/i.test(path) ||
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f\u007f]/.test(path) ||
    segments.some((s) => s === '' || s === '.' || s === '..');
  if (bad) throw new Error(`unsafe zip entry name: ${JSON.stringify(path)}`);
}

/** Packs files into a zip archive in memory (packs are tens of megabytes at most). */
export function zipFiles(
  files: readonly { path: string; bytes: Buffer }[],
  mtime = new Date(),
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    for (const f of files) assertSafeEntryName(f.path);
    const zip = new yazl.ZipFile();
    for (const f of files) zip.addBuffer(f.bytes, f.path, { mtime });
    zip.end();
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}
