/**
 * `npm run agent:headless -- --server URL --enrolment-token TOKEN --data-dir DIR`: the whole capture
 * pipeline without Electron, on the current display. Logs are JSON lines on stdout.
 */
import './adapters/process-tuning.js';
import { mkdirSync } from 'node:fs';
import { compileLexicon, loadDefaultLexicon } from '@kestrel/shared/lexicon';
import { agentVersion } from './adapters/agent-version.js';
import { createDefaultPorts } from './adapters/default-ports.js';
import { HEADLESS_USAGE, parseHeadlessArgs, type HeadlessArgs } from './adapters/headless-args.js';
import { JsonLineLogger } from './adapters/json-line-logger.js';
import { createAgent } from './core/agent.js';

let args: HeadlessArgs;
try {
  args = parseHeadlessArgs(process.argv.slice(2));
} catch (error) {
  process.stderr.write(
    `kestrel agent: ${error instanceof Error ? error.message : String(error)}\n${HEADLESS_USAGE}\n`,
  );
  process.exit(2);
}

const logger = new JsonLineLogger(args.logLevel);
try {
  mkdirSync(args.dataDir, { recursive: true, mode: 0o700 });
} catch (error) {
  process.stderr.write(`kestrel agent: --data-dir ${args.dataDir} cannot be created: ${String(error)}\n`);
  process.exit(2);
}

const agent = createAgent(
  createDefaultPorts({ server: args.server, dataDir: args.dataDir, caFile: args.caFile, logger }),
  {
    server: args.server,
    enrolmentToken: args.enrolmentToken,
    agentVersion: agentVersion(),
    initialLexicon: compileLexicon(loadDefaultLexicon()),
    compileLexicon: (file) => compileLexicon(file),
    ...(args.keyboardLayout ? { keyboardLayout: args.keyboardLayout } : {}),
  },
);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) process.exit(1);
  stopping = true;
  logger.info('shutting down', { signal });
  // A stuck network call must not keep the process alive for ever.
  const deadline = setTimeout(() => process.exit(1), 10_000);
  deadline.unref();
  try {
    await agent.stop();
  } catch (error) {
    logger.error('clean stop failed', { error: error instanceof Error ? error.message : String(error) });
  }
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

try {
  await agent.start();
} catch (error) {
  logger.error('agent failed to start', { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
