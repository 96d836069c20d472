import type { Clock } from '../ports/clock.js';
import type { ScreenshotStore } from '../ports/screenshot-store.js';
import type { Storage } from '../ports/storage.js';

/**
 * Removes stored files that no capture refers to. Ingest writes files before it commits the row,
 * so a crash (or a refused duplicate) can leave a file without a row; only files older than
 * `olderThanMs` are considered, so an upload still in flight is never touched.
 */
export async function collectOrphanFiles(
  deps: { storage: Storage; screenshots: ScreenshotStore; clock: Clock },
  olderThanMs = 3_600_000,
): Promise<{ checked: number; removed: number }> {
  const cutoff = deps.clock.now().getTime() - olderThanMs;
  let checked = 0;
  let removed = 0;
  for await (const sha256 of deps.screenshots.list()) {
    checked++;
    const modified = await deps.screenshots.modifiedAt(sha256);
    if (modified === undefined || modified.getTime() > cutoff) continue;
    if (await deps.storage.captures.refersToFile(sha256)) continue;
    await deps.screenshots.delete(sha256);
    removed++;
  }
  return { checked, removed };
}
