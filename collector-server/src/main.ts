import { fileURLToPath } from 'node:url';
import { relaunchWithAllocatorSettings } from './relaunch.js';

/**
 * Entry point of `npm start`. On glibc without `MALLOC_ARENA_MAX`, it first runs itself again with
 * two malloc arenas (relaunch.ts: memory stays flat under sustained uploads). libuv's thread pool
 * serves both image decoding (sharp) and file durability (fsync of each stored screenshot); fsync
 * waits on the disk, so with the default four threads a burst of uploads would leave decoders
 * idle. The pool is sized before anything uses it, which is why the collector itself is loaded
 * only afterwards.
 */
const relaunched = relaunchWithAllocatorSettings(fileURLToPath(import.meta.url));
if (relaunched === false) {
  process.env['UV_THREADPOOL_SIZE'] ??= '16';
  await import('./start.js');
} else {
  await relaunched;
}
