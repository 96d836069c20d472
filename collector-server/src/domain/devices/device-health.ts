import type { Device } from '../../ports/devices-repository.js';
import type { Heartbeat } from '../../ports/heartbeats-repository.js';

export interface DeviceRow {
  id: string;
  hostname: string;
  os: string;
  enrolledAt: string;
  revokedAt: string | null;
  lastSeenAt: string | null;
  agentVersion: string;
  lexiconVersion: string | null;
  queueLength: number | null;
  evictions: number | null;
  quarantined: number | null;
  missingPermissions: string[];
  /** Sources not `ok` (keyboard, window, screenshot…), with their state. */
  degradedSources: { source: string; state: string }[];
  paused: boolean;
  /** Why the technician should look: empty when healthy. */
  problems: string[];
  stale: boolean;
}

/** A device not heard from for this long is stale (agents send a heartbeat every 5 minutes). */
export const STALE_AFTER_MS = 24 * 3_600_000;

/** The technician's view of one device: versions, queue, and what is wrong with it. */
export function deviceRow(
  device: Device,
  heartbeat: Heartbeat | undefined,
  now: Date,
  currentLexicon?: string,
): DeviceRow {
  const lastSeen = heartbeat?.receivedAt ?? device.lastSeenAt;
  const stale =
    device.revokedAt === null && (lastSeen === null || now.getTime() - Date.parse(lastSeen) > STALE_AFTER_MS);
  const health = heartbeat?.health;
  const missing = health?.missingPermissions ?? [];
  const degraded = Object.entries(health?.sources ?? {})
    .filter(([, s]) => s.state !== 'ok')
    .map(([source, s]) => ({ source, state: s.state }));
  const problems: string[] = [];
  if (device.revokedAt !== null) problems.push('revoked');
  if (stale) problems.push(lastSeen === null ? 'never reported' : 'not seen for over a day');
  if (missing.length > 0) problems.push(`missing permission: ${missing.join(', ')}`);
  for (const d of degraded) problems.push(`${d.source} ${d.state}`);
  if ((heartbeat?.evictions ?? 0) > 0) problems.push('offline queue dropped captures');
  if ((heartbeat?.queueLength ?? 0) > 100) problems.push('large upload backlog');
  if (
    currentLexicon !== undefined &&
    heartbeat !== undefined &&
    heartbeat.lexiconVersion !== currentLexicon
  ) {
    problems.push('lexicon out of date');
  }
  return {
    id: device.id,
    hostname: device.hostname,
    os: device.os,
    enrolledAt: device.enrolledAt,
    revokedAt: device.revokedAt,
    lastSeenAt: lastSeen,
    agentVersion: heartbeat?.agentVersion ?? device.agentVersion,
    lexiconVersion: heartbeat?.lexiconVersion ?? null,
    queueLength: heartbeat?.queueLength ?? null,
    evictions: heartbeat?.evictions ?? null,
    quarantined: heartbeat?.quarantined ?? null,
    missingPermissions: missing,
    degradedSources: degraded,
    paused: health?.paused ?? false,
    problems,
    stale,
  };
}
