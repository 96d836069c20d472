import type { CaptureMetadata, CaptureStatusValue, ScreenshotMediaType } from '@kestrel/shared/protocol';

export { CAPTURE_STATUSES } from '@kestrel/shared/protocol';
export type CaptureStatus = CaptureStatusValue;

export interface Capture extends CaptureMetadata {
  id: string;
  schoolId: string;
  deviceId: string;
  /** `capturedAt` normalised to UTC, for ordering and ranges (`capturedAt` keeps the agent's offset). */
  capturedAtUtc: string;
  screenshotSha256: string;
  screenshotMediaType: ScreenshotMediaType;
  screenshotBytes: number;
  width: number;
  height: number;
  thumbnailSha256: string;
  thumbnailMediaType: string;
  status: CaptureStatus;
  receivedAt: string;
  reviewedBy: string | null;
  reviewedAt: string | null;
}

export interface CaptureListQuery {
  schoolIds: readonly string[];
  status?: CaptureStatus;
  limit: number;
  /** Keyset position: items strictly older than this one (newest first). */
  after?: { receivedAt: string; id: string };
}

export interface CapturesRepository {
  /**
   * Inserts unless the device already sent this `captureId`; answers the stored id either way.
   * Safe under concurrency: a unique constraint on (device, captureId) decides.
   */
  insertOnce(capture: Capture): Promise<{ id: string; created: boolean }>;
  findByDeviceCaptureId(deviceId: string, captureId: string): Promise<string | undefined>;
  get(id: string): Promise<Capture | undefined>;
  list(query: CaptureListQuery): Promise<Capture[]>;
  setStatus(id: string, status: CaptureStatus, by: string | null, at: string | null): Promise<void>;
  /** Whether any capture still refers to the file (screenshot or thumbnail). */
  refersToFile(sha256: string): Promise<boolean>;
  count(): Promise<number>;
}
