import { createHash } from 'node:crypto';
import type { PolicyDocument } from '../policy.js';

/**
 * The school's policy document with a device's research exemptions merged in. Without any, the
 * school document is answered unchanged (same ETag, cached bodies); with some, the device gets its
 * own version, and a new one when an exemption starts, ends or is revoked.
 */
export function withSuppressions(
  doc: PolicyDocument,
  suppressions: readonly { category: string; until: string }[],
): PolicyDocument {
  if (suppressions.length === 0) return doc;
  const parsed = JSON.parse(doc.body) as {
    policyVersion: string;
    policy: Record<string, unknown>;
    lexicon: unknown;
  };
  const policyVersion = createHash('sha256')
    .update(`${doc.policyVersion}|${JSON.stringify(suppressions)}`)
    .digest('hex')
    .slice(0, 32);
  const body = JSON.stringify({
    policyVersion,
    policy: { ...parsed.policy, suppressedCategories: suppressions },
    lexicon: parsed.lexicon,
  });
  return { etag: `"${policyVersion}"`, policyVersion, body };
}
