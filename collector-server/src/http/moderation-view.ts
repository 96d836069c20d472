import type { QueueCapture } from '../adapters/repositories/moderation-queue.js';
import { captureMetadataOf } from '../domain/capture-metadata.js';
import type { School } from '../ports/schools-repository.js';

/** A capture as the moderator UI reads it. Illegal-category captures carry no image URL until revealed. */
export function toCaptureItem(c: QueueCapture, schools: Map<string, School>, revealed: ReadonlySet<string>) {
  const school = schools.get(c.schoolId);
  const hidden = c.category === 'illegal' && !revealed.has(c.id);
  const base = `/api/v1/captures/${c.id}`;
  return {
    id: c.id,
    schoolId: c.schoolId,
    schoolName: school?.name ?? '',
    timeZone: school?.timeZone ?? 'Europe/London',
    captureId: c.captureId,
    capturedAt: c.capturedAt,
    receivedAt: c.receivedAt,
    ...captureMetadataOf(c),
    url: c.url ?? null,
    status: c.status,
    groupKey: c.groupKey,
    hidden,
    screenshotUrl: hidden ? `${base}/screenshot/blurred` : `${base}/screenshot`,
    // Never a thumbnail of an illegal-category capture, revealed or not.
    thumbnailUrl: c.category === 'illegal' ? null : `${base}/thumbnail`,
  };
}

export type CaptureItem = ReturnType<typeof toCaptureItem>;
