import type { CaptureSource, Category, ScreenshotMediaType } from '@kestrel/shared/protocol';
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Capture, CaptureStatus, CapturesRepository } from '../../ports/captures-repository.js';
import { prepared } from '../db/prepared.js';
import type { CapturesTable, Database } from '../db/schema.js';

export function toCapture(r: Selectable<CapturesTable>): Capture {
  return {
    id: r.id,
    schoolId: r.school_id,
    deviceId: r.device_id,
    captureId: r.capture_id,
    capturedAt: r.captured_at,
    capturedAtUtc: r.captured_at_utc,
    machine: r.machine,
    user: r.os_user,
    source: r.source as CaptureSource,
    category: r.category as Category,
    severity: r.severity,
    term: r.term,
    context: r.context,
    windowTitle: r.window_title,
    application: r.application,
    ...(r.url === null ? {} : { url: r.url }),
    screenshotSha256: r.screenshot_sha256,
    screenshotMediaType: r.screenshot_media_type as ScreenshotMediaType,
    screenshotBytes: r.screenshot_bytes,
    width: r.width,
    height: r.height,
    thumbnailSha256: r.thumbnail_sha256,
    thumbnailMediaType: r.thumbnail_media_type,
    status: r.status as CaptureStatus,
    receivedAt: r.received_at,
    reviewedBy: r.reviewed_by,
    reviewedAt: r.reviewed_at,
  };
}

/** A capture as its table row (every column, in a fixed order). */
function toRow(c: Capture): Record<CaptureColumn, string | number | null> {
  return {
    id: c.id,
    school_id: c.schoolId,
    device_id: c.deviceId,
    capture_id: c.captureId,
    captured_at: c.capturedAt,
    captured_at_utc: c.capturedAtUtc,
    machine: c.machine,
    os_user: c.user,
    source: c.source,
    category: c.category,
    severity: c.severity,
    term: c.term,
    context: c.context,
    window_title: c.windowTitle,
    application: c.application,
    url: c.url ?? null,
    screenshot_sha256: c.screenshotSha256,
    screenshot_media_type: c.screenshotMediaType,
    screenshot_bytes: c.screenshotBytes,
    width: c.width,
    height: c.height,
    thumbnail_sha256: c.thumbnailSha256,
    thumbnail_media_type: c.thumbnailMediaType,
    status: c.status,
    received_at: c.receivedAt,
    reviewed_by: c.reviewedBy,
    reviewed_at: c.reviewedAt,
  };
}

type CaptureColumn = keyof CapturesTable & string;

export function capturesRepository(db: Kysely<Database>): CapturesRepository {
  // Ingest runs these for every upload: compiled once (see prepared.ts).
  const byDeviceCaptureId = prepared<'deviceId' | 'captureId', { id: string }>(db, (p) =>
    db
      .selectFrom('captures')
      .select('id')
      .where('device_id', '=', p('deviceId'))
      .where('capture_id', '=', p('captureId')),
  );
  const insert = prepared<CaptureColumn, { id: string }>(db, (p) => {
    const columns = Object.keys(toRow({} as Capture)) as CaptureColumn[];
    const values = Object.fromEntries(columns.map((c) => [c, p(c)])) as unknown as Insertable<CapturesTable>;
    return db
      .insertInto('captures')
      .values(values)
      .onConflict((oc) => oc.columns(['device_id', 'capture_id']).doNothing())
      .returning('id');
  });
  const findByDeviceCaptureId = async (deviceId: string, captureId: string) =>
    (await byDeviceCaptureId({ deviceId, captureId })).rows[0]?.id;

  return {
    findByDeviceCaptureId,
    async insertOnce(c) {
      const inserted = (await insert(toRow(c))).rows[0];
      if (inserted !== undefined) return { id: inserted.id, created: true };
      const existing = await findByDeviceCaptureId(c.deviceId, c.captureId);
      if (existing === undefined) throw new Error('capture conflict without an existing row');
      return { id: existing, created: false };
    },
    async get(id) {
      const r = await db.selectFrom('captures').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toCapture(r);
    },
    async list({ schoolIds, status, limit, after }) {
      if (schoolIds.length === 0) return [];
      let q = db
        .selectFrom('captures')
        .selectAll()
        .where('school_id', 'in', schoolIds)
        .orderBy('received_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit);
      if (status !== undefined) q = q.where('status', '=', status);
      if (after !== undefined) {
        q = q.where((e) =>
          e.or([
            e('received_at', '<', after.receivedAt),
            e.and([e('received_at', '=', after.receivedAt), e('id', '<', after.id)]),
          ]),
        );
      }
      return (await q.execute()).map(toCapture);
    },
    async setStatus(id: string, status: CaptureStatus, by: string | null, at: string | null) {
      await db
        .updateTable('captures')
        .set({ status, reviewed_by: by, reviewed_at: at })
        .where('id', '=', id)
        .execute();
    },
    async refersToFile(sha256) {
      const r = await db
        .selectFrom('captures')
        .select('id')
        .where((e) => e.or([e('screenshot_sha256', '=', sha256), e('thumbnail_sha256', '=', sha256)]))
        .limit(1)
        .executeTakeFirst();
      return r !== undefined;
    },
    async count() {
      const r = await db
        .selectFrom('captures')
        .select((e) => e.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}
