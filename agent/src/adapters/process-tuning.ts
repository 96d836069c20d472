/**
 * Imported first by the headless entry, before anything can start libuv's thread pool: two
 * threads are plenty for an agent that writes a file now and then, and every pool thread that
 * allocates keeps a glibc malloc arena of its own (with sharp in process this saved about 20 MB).
 */
process.env['UV_THREADPOOL_SIZE'] ??= '2';
