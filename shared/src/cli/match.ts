/**
 * `npm run --silent match -- [--lexicon FILE]`: reads UTF-8 lines on stdin and writes one JSON
 * object per line, `{"matches":[...]}`, in order, and nothing else, on stdout (CONTRACTS.md).
 * Offsets are UTF-16 offsets into the line as given (without its line break). Usage errors and a
 * bad lexicon file go to stderr with exit code 2.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { compileLexicon } from '../lexicon/compile-lexicon.js';
import { loadDefaultLexicon } from '../lexicon/default-lexicon.js';
import { LexiconError } from '../lexicon/lexicon-error.js';
import { parseLexicon } from '../lexicon/parse-lexicon.js';
import type { LexiconFile } from '../lexicon/schema.js';

const USAGE = 'usage: npm run --silent match -- [--lexicon FILE] < lines.txt';

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): { lexiconPath?: string } {
  let lexiconPath: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--lexicon') {
      const value = argv[++i];
      if (value === undefined || value === '') throw new UsageError('--lexicon needs a file path');
      lexiconPath = value;
    } else if (arg.startsWith('--lexicon=')) {
      lexiconPath = arg.slice('--lexicon='.length);
      if (lexiconPath === '') throw new UsageError('--lexicon needs a file path');
    } else {
      throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
    }
  }
  return lexiconPath === undefined ? {} : { lexiconPath };
}

function readLexicon(path: string): LexiconFile {
  let json: unknown;
  try {
    // Windows editors save "UTF-8 with BOM"; the mark is encoding, not JSON.
    json = JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new UsageError(`cannot read lexicon ${path}: ${(error as Error).message}`);
  }
  try {
    return parseLexicon(json);
  } catch (error) {
    if (error instanceof LexiconError) {
      throw new UsageError(`invalid lexicon ${path}:\n  ${error.problems.join('\n  ')}`);
    }
    throw error;
  }
}

async function main(): Promise<number> {
  let file: LexiconFile;
  try {
    const args = parseArgs(process.argv.slice(2));
    file = args.lexiconPath === undefined ? loadDefaultLexicon() : readLexicon(args.lexiconPath);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`match: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  const lexicon = compileLexicon(file);
  // A reader that stops early (`| head`) closes the pipe: that ends the job, it is not a fault.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(0);
  });
  const out = new BatchedWriter(process.stdout);
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let first = true;
  for await (const raw of lines) {
    // A byte-order mark opening the input is encoding, not text: offsets count from after it.
    const line = first && raw.startsWith('\uFEFF') ? raw.slice(1) : raw;
    first = false;
    await out.write(`${JSON.stringify({ matches: lexicon.match(line) })}\n`);
  }
  await out.end();
  return 0;
}

/** Collects output into chunks and honours back-pressure, so large inputs stream in bounded memory. */
class BatchedWriter {
  private pending = '';

  constructor(private readonly stream: Writable) {}

  async write(s: string): Promise<void> {
    this.pending += s;
    if (this.pending.length >= 65_536) await this.drain();
  }

  async end(): Promise<void> {
    await this.drain();
  }

  private async drain(): Promise<void> {
    const chunk = this.pending;
    this.pending = '';
    if (chunk !== '' && !this.stream.write(chunk)) {
      await new Promise<void>((resolve) => this.stream.once('drain', resolve));
    }
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `match: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
