import type { Health } from '@kestrel/shared/protocol';

/** The latest heartbeat of a device (older ones are not kept: device health is a current state). */
export interface Heartbeat {
  deviceId: string;
  receivedAt: string;
  agentVersion: string;
  lexiconVersion: string;
  queueLength: number;
  evictions: number;
  quarantined: number;
  health: Health;
}

export interface HeartbeatsRepository {
  /** Replaces the device's previous heartbeat. */
  record(heartbeat: Heartbeat): Promise<void>;
  latest(deviceId: string): Promise<Heartbeat | undefined>;
  listForSchool(schoolId: string): Promise<Heartbeat[]>;
  count(): Promise<number>;
}
