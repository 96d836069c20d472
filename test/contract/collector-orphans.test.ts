import { utimes } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiskScreenshotStore } from '../../collector-server/src/adapters/disk-screenshot-store.js';
import { collectOrphanFiles } from '../../collector-server/src/domain/orphan-files.js';
import {
  captureParts,
  enrol,
  type Harness,
  makeImage,
  metadata,
  postCapture,
  startCollector,
  storedFiles,
} from './collector-helpers.js';

describe('orphan file collection', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startCollector();
  });
  afterAll(async () => h.close());

  it('removes old files no capture refers to, and nothing else', async () => {
    const store = h.app.kestrel.screenshots;
    if (!(store instanceof DiskScreenshotStore)) throw new Error('expected the disk store');
    const { deviceToken } = await enrol(h.app);
    await postCapture(h.app, deviceToken, captureParts(metadata(), await makeImage('jpeg')));
    const referenced = await storedFiles(h.dataDir);
    expect(referenced).toHaveLength(2);

    const old = await store.put(Buffer.from('left by a crash before the commit'));
    const recent = await store.put(Buffer.from('an upload still in flight'));
    const anHourAgo = new Date(Date.now() - 2 * 3_600_000);
    await utimes(store.pathOf(old), anHourAgo, anHourAgo);
    for (const sha of referenced) await utimes(store.pathOf(sha), anHourAgo, anHourAgo);

    expect(await collectOrphanFiles(h.app.kestrel)).toEqual({ checked: 4, removed: 1 });
    expect((await storedFiles(h.dataDir)).sort()).toEqual([...referenced, recent].sort());
  });
});
