import type { HeartbeatRequest } from '@kestrel/shared/protocol';
import type { Clock } from '../ports/clock.js';
import type { Device } from '../ports/devices-repository.js';
import type { Storage } from '../ports/storage.js';

/** `devices.last_seen_at` is refreshed at most this often by heartbeats (the heartbeat row has the exact time). */
export const LAST_SEEN_RESOLUTION_MS = 60_000;

/**
 * Keeps the device's latest health (technicians' devices view). Heartbeats are the busiest request
 * (every device, every few minutes), so the common case is one upsert; the device row is touched
 * only when the agent version changed or its last-seen time is older than a minute.
 */
export async function recordHeartbeat(
  deps: { storage: Storage; clock: Clock },
  device: Device,
  request: HeartbeatRequest,
): Promise<void> {
  const now = deps.clock.now();
  const at = now.toISOString();
  await deps.storage.heartbeats.record({
    deviceId: device.id,
    receivedAt: at,
    agentVersion: request.agentVersion,
    lexiconVersion: request.lexiconVersion,
    queueLength: request.queueLength,
    evictions: request.health.evictions,
    quarantined: request.health.quarantined,
    health: request.health,
  });
  const stale =
    device.lastSeenAt === null || now.getTime() - Date.parse(device.lastSeenAt) >= LAST_SEEN_RESOLUTION_MS;
  if (stale || device.agentVersion !== request.agentVersion) {
    await deps.storage.devices.touch(device.id, at, request.agentVersion);
  }
}
