/**
 * Entry point of `npm start`. libuv's thread pool serves both image decoding (sharp) and file
 * durability (fsync of each stored screenshot); fsync waits on the disk, so with the default four
 * threads a burst of uploads would leave decoders idle. The pool is sized before anything uses it,
 * which is why the collector itself is loaded only afterwards.
 */
process.env['UV_THREADPOOL_SIZE'] ??= '16';
await import('./start.js');
