/**
 * Imported first by the headless entry, before anything can start libuv's thread pool: two
 * threads are plenty for an agent that writes a file now and then, and each thread that runs a
 * sharp job keeps its own glibc malloc arena (measured: about 20 MB less RSS after screenshots).
 */
process.env['UV_THREADPOOL_SIZE'] ??= '2';
