import type { HeartbeatRequest } from '@kestrel/shared/protocol';
import type { Clock } from '../ports/clock.js';
import type { Device } from '../ports/devices-repository.js';
import type { Storage } from '../ports/storage.js';

/** Keeps the device's latest health (technicians' devices view) and when it was last seen. */
export async function recordHeartbeat(
  deps: { storage: Storage; clock: Clock },
  device: Device,
  request: HeartbeatRequest,
): Promise<void> {
  const now = deps.clock.now().toISOString();
  await deps.storage.transaction(async (repos) => {
    await repos.heartbeats.record({
      deviceId: device.id,
      receivedAt: now,
      agentVersion: request.agentVersion,
      lexiconVersion: request.lexiconVersion,
      queueLength: request.queueLength,
      evictions: request.health.evictions,
      quarantined: request.health.quarantined,
      health: request.health,
    });
    await repos.devices.touch(device.id, now, request.agentVersion);
  });
}
