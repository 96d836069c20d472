// The tray app's start-up (agent/src/main/shell-startup.ts) without Electron: the same policy
// reading, settings layering and pipeline composition, with machine policy read from the file in
// argv[2] and data in argv[3]. Prints the agent's JSON-line log plus a `tray` line per change.
import { userInfo } from 'node:os';
import { setInterval } from 'node:timers';
import { JsonLineLogger } from '../../../agent/dist/adapters/json-line-logger.js';
import { nodeFileReader } from '../../../agent/dist/config/file-reader.js';
import { readLinuxMachinePolicy } from '../../../agent/dist/config/linux-policy-reader.js';
import { startShell } from '../../../agent/dist/main/shell-startup.js';

const [policyFile, dataDir] = process.argv.slice(2);
const logger = new JsonLineLogger('info', (line) => process.stdout.write(line));
const state = new Map();
const shell = await startShell({
  platform: process.platform,
  dataDir,
  argv: [],
  env: process.env,
  account: { username: userInfo().username },
  keyValue: {
    get: (k) => state.get(k),
    set: (k, v) => void state.set(k, v),
    delete: (k) => void state.delete(k),
  },
  permissions: { isTrustedAccessibilityClient: () => true, getMediaAccessStatus: () => 'granted' },
  logger,
  readMachinePolicy: () => readLinuxMachinePolicy(nodeFileReader, policyFile),
});
const report = () => logger.info('tray', { tray: JSON.stringify(shell.trayState()) });
report();

if (shell.shellAgent.kind === 'running') {
  const { agent } = shell.shellAgent;
  agent.onStatusChange(report);
  process.on('SIGTERM', () => {
    void agent.stop().finally(() => process.exit(0));
  });
  await agent.start();
} else {
  process.on('SIGTERM', () => process.exit(0));
  setInterval(() => {}, 60_000);
}
