/* global setTimeout, clearTimeout, fetch */
// Starts the built collector with neither PORT nor HOST set, waits for the URL it prints, asks
// http://127.0.0.1:8080/healthz, stops it and prints one JSON line: {printed, status, exit}.
// Run inside a private network namespace (`unshare -rn`), where port 8080 is always free.
// Usage: node default-port-probe.mjs MAIN_JS DATA_DIR
import { spawn } from 'node:child_process';

const [main, dataDir] = process.argv.slice(2);
const env = {
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '',
  DATA_DIR: dataDir,
  LOG_LEVEL: 'warn',
};
const child = spawn(process.execPath, [main], { env, stdio: ['ignore', 'pipe', 'pipe'] });
let out = '';
let err = '';
child.stderr.on('data', (d) => (err += d));
const exited = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));

const printed = await new Promise((resolve) => {
  const timer = setTimeout(() => resolve(undefined), 60_000);
  child.stdout.on('data', (d) => {
    out += d;
    const m = /(https?:\/\/\S+)/.exec(out);
    if (m) {
      clearTimeout(timer);
      resolve(m[1]);
    }
  });
  void exited.then(() => resolve(undefined));
});

let status = null;
let error = null;
try {
  status = (await fetch('http://127.0.0.1:8080/healthz')).status;
} catch (e) {
  error = String(e);
}
child.kill('SIGTERM');
const exit = await exited;
process.stdout.write(
  `${JSON.stringify({ printed: printed ?? null, status, error, exit, stderr: err.slice(-2000) })}\n`,
);
