import type { EvidenceCaptures } from '../../domain/incidents/incidents-repository.js';
import { captureMetadataOf } from '../../domain/capture-metadata.js';
import type { CapturesRepository } from '../../ports/captures-repository.js';

/** The incident workflow's view of the core's captures. */
export function evidenceCaptures(captures: CapturesRepository): EvidenceCaptures {
  return {
    async get(id) {
      const c = await captures.get(id);
      if (c === undefined) return undefined;
      return {
        id: c.id,
        schoolId: c.schoolId,
        capturedAt: c.capturedAt,
        receivedAt: c.receivedAt,
        ...captureMetadataOf(c),
        url: c.url ?? null,
        status: c.status,
        screenshotSha256: c.screenshotSha256,
        screenshotMediaType: c.screenshotMediaType,
      };
    },
  };
}
