import yazl from 'yazl';

/** Packs files into a zip archive in memory (packs are tens of megabytes at most). */
export function zipFiles(
  files: readonly { path: string; bytes: Buffer }[],
  mtime = new Date(),
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    for (const f of files) zip.addBuffer(f.bytes, f.path, { mtime });
    zip.end();
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}
