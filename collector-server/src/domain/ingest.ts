import { randomUUID } from 'node:crypto';
import type { CaptureMetadata, ScreenshotMediaType } from '@kestrel/shared/protocol';
import type { Capture } from '../ports/captures-repository.js';
import type { Clock } from '../ports/clock.js';
import type { Device } from '../ports/devices-repository.js';
import type { ImageProcessor } from '../ports/image-processor.js';
import type { ScreenshotStore } from '../ports/screenshot-store.js';
import type { Storage } from '../ports/storage.js';
import { LAST_SEEN_RESOLUTION_MS } from './heartbeat.js';

export interface IngestDeps {
  storage: Storage;
  screenshots: ScreenshotStore;
  images: ImageProcessor;
  clock: Clock;
}

export interface IngestResult {
  id: string;
  /** False when the device had already sent this captureId (nothing new was stored). */
  created: boolean;
}

/**
 * Stores one capture whole or not at all. The image is proven and thumbnailed first, then both files
 * are written (content-addressed, so a retry rewrites nothing; the screenshot durably), then the row
 * commits. A crash between
 * the files and the row leaves only unreferenced files, which orphan collection removes.
 */
export async function ingestCapture(
  deps: IngestDeps,
  device: Device,
  metadata: CaptureMetadata,
  screenshot: { bytes: Buffer; mediaType: ScreenshotMediaType },
): Promise<IngestResult> {
  // A resend (the agent never saw our answer) costs one indexed lookup, no image work.
  const existing = await deps.storage.captures.findByDeviceCaptureId(device.id, metadata.captureId);
  if (existing !== undefined) return { id: existing, created: false };

  const image = await deps.images.process(screenshot.bytes, screenshot.mediaType, {
    blurThumbnail: metadata.category === 'illegal',
  });
  // The thumbnail is derived from the screenshot, so it is not fsynced (thumbnails.ts makes it again
  // if a power cut lost it). Written first: on a journalling file system that orders data before
  // metadata (ext4's default), the screenshot's fsyncs then usually carry it to disk as well.
  const thumbnailSha256 = await deps.screenshots.put(image.thumbnail, { durable: false });
  const screenshotSha256 = await deps.screenshots.put(screenshot.bytes);
  const now = deps.clock.now().toISOString();
  const capture: Capture = {
    ...metadata,
    id: randomUUID(),
    schoolId: device.schoolId,
    deviceId: device.id,
    capturedAtUtc: new Date(metadata.capturedAt).toISOString(),
    screenshotSha256,
    screenshotMediaType: image.mediaType,
    screenshotBytes: screenshot.bytes.length,
    width: image.width,
    height: image.height,
    thumbnailSha256,
    thumbnailMediaType: image.thumbnailMediaType,
    status: 'unreviewed',
    receivedAt: now,
    reviewedBy: null,
    reviewedAt: null,
  };
  // One statement, so one transaction: the row commits whole or not at all. A concurrent resend may
  // win the race here; the unique constraint makes the loser answer the winner's id.
  // Durably: once we answer, the agent deletes its copy, so a power cut must not lose the row.
  const result = await deps.storage.durably(() => deps.storage.captures.insertOnce(capture));
  const stale =
    device.lastSeenAt === null || Date.parse(now) - Date.parse(device.lastSeenAt) >= LAST_SEEN_RESOLUTION_MS;
  if (result.created && stale) await deps.storage.devices.touch(device.id, now);
  return result;
}
