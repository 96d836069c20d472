import type { CaptureMetadata } from '@kestrel/shared/protocol';

type MatchFields =
  | 'machine'
  | 'user'
  | 'source'
  | 'category'
  | 'severity'
  | 'term'
  | 'context'
  | 'windowTitle'
  | 'application';

/**
 * What the agent said matched and where, copied field by field (never the whole capture, which holds
 * hashes and reviewer fields) in the order every view lists them. `captureId`, `capturedAt` and
 * `url` are left to the caller: each view places them differently, and some answer a missing URL
 * with `null` where the API omits it.
 */
export function captureMetadataOf(c: Pick<CaptureMetadata, MatchFields>): Pick<CaptureMetadata, MatchFields> {
  return {
    machine: c.machine,
    user: c.user,
    source: c.source,
    category: c.category,
    severity: c.severity,
    term: c.term,
    context: c.context,
    windowTitle: c.windowTitle,
    application: c.application,
  };
}
