import { readFile } from 'node:fs/promises';

/** Reads a whole file; rejects with the Node error (`code: 'ENOENT'` when absent). Injected in tests. */
export type FileReader = (path: string) => Promise<Uint8Array>;

export const nodeFileReader: FileReader = (path) => readFile(path);

export function isMissingFile(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
