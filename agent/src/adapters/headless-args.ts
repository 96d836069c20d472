import { accessSync, constants } from 'node:fs';
import { parseArgs } from 'node:util';
import { keyboardLayoutSchema, LIMITS, type KeyboardLayout } from '@kestrel/shared/protocol';
import type { LogLevel } from '../ports/logger.js';

export interface HeadlessArgs {
  server: string;
  enrolmentToken: string;
  dataDir: string;
  caFile: string | undefined;
  keyboardLayout: KeyboardLayout | undefined;
  logLevel: LogLevel;
}

export const HEADLESS_USAGE = `Usage: npm run agent:headless -- --server URL --enrolment-token TOKEN --data-dir DIR
         [--ca-file PEM] [--keyboard-layout en-GB|en-US] [--log-level debug|info|warn|error]`;

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** Parses and checks the headless agent's flags; throws an Error whose message is for the user. */
export function parseHeadlessArgs(argv: string[]): HeadlessArgs {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      server: { type: 'string' },
      'enrolment-token': { type: 'string' },
      'data-dir': { type: 'string' },
      'ca-file': { type: 'string' },
      'keyboard-layout': { type: 'string' },
      'log-level': { type: 'string' },
    },
  });
  const server = values.server;
  if (!server)
    throw new Error('--server is required (the collector URL, e.g. https://kestrel.school.example)');
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new Error(`--server ${JSON.stringify(server)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error('--server must be an http:// or https:// URL');
  const enrolmentToken = values['enrolment-token'];
  if (!enrolmentToken)
    throw new Error('--enrolment-token is required (printed by the collector on first run)');
  if (enrolmentToken.length > LIMITS.enrolmentToken) throw new Error('--enrolment-token is too long');
  const dataDir = values['data-dir'];
  if (!dataDir) throw new Error('--data-dir is required (where the offline queue and device token live)');
  const caFile = values['ca-file'];
  if (caFile) {
    try {
      accessSync(caFile, constants.R_OK);
    } catch {
      throw new Error(`--ca-file ${caFile} cannot be read`);
    }
  }
  const layout = values['keyboard-layout'];
  const parsedLayout = layout === undefined ? undefined : keyboardLayoutSchema.safeParse(layout);
  if (parsedLayout && !parsedLayout.success) throw new Error('--keyboard-layout must be en-GB or en-US');
  const logLevel = (values['log-level'] ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw new Error(`--log-level must be one of ${LOG_LEVELS.join(', ')}`);
  return {
    server: url.toString().replace(/\/+$/, ''),
    enrolmentToken,
    dataDir,
    caFile,
    keyboardLayout: parsedLayout?.data,
    logLevel,
  };
}
