import { spawn } from 'node:child_process';

/** glibc reads its allocator settings only when a process starts. */
export const ALLOCATOR_ENV = { MALLOC_ARENA_MAX: '2' } as const;

const FORWARDED_SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];

/** True on glibc-based Linux, where `MALLOC_ARENA_MAX` means something. */
export function usesGlibc(): boolean {
  if (process.platform !== 'linux') return false;
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)
    ?.header;
  return typeof header?.glibcVersionRuntime === 'string';
}

/**
 * Images are decoded on many threads, and glibc gives each busy thread its own malloc arena (up to
 * eight per core): under sustained uploads the resident memory then creeps up by fragmentation.
 * Two arenas keep it flat (docs/benchmarks.md). The variable must be in the environment before the
 * process starts, so when it is absent the entry point runs itself again as a child with it set:
 * standard streams are shared (the first-run lines reach the same stdout), SIGTERM, SIGINT and
 * SIGHUP are passed on, and the child's exit status (or signal) becomes this process's.
 *
 * Returns false, doing nothing, when the variable is already set (an operator's own value is kept)
 * or the C library is not glibc; otherwise never settles (this process ends with the child).
 */
export function relaunchWithAllocatorSettings(entry: string, glibc = usesGlibc()): Promise<never> | false {
  if (!glibc || process.env['MALLOC_ARENA_MAX'] !== undefined) return false;
  const child = spawn(process.execPath, [...process.execArgv, entry, ...process.argv.slice(2)], {
    env: { ...process.env, ...ALLOCATOR_ENV },
    stdio: 'inherit',
  });
  const forward = (signal: NodeJS.Signals) => () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  const handlers = FORWARDED_SIGNALS.map((signal) => [signal, forward(signal)] as const);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  return new Promise<never>(() => {
    child.on('error', (err) => {
      process.stderr.write(`Could not start the collector: ${err.message}\n`);
      process.exit(1);
    });
    child.on('exit', (code, signal) => {
      for (const [s, handler] of handlers) process.off(s, handler);
      if (signal !== null) process.kill(process.pid, signal);
      else process.exit(code ?? 1);
    });
  });
}
