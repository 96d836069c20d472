export interface Device {
  id: string;
  schoolId: string;
  hostname: string;
  os: string;
  agentVersion: string;
  /** SHA-256 (hex) of the device token. */
  tokenHash: string;
  enrolmentTokenId: string | null;
  enrolledAt: string;
  revokedAt: string | null;
  lastSeenAt: string | null;
}

export interface DevicesRepository {
  create(device: Device): Promise<void>;
  get(id: string): Promise<Device | undefined>;
  findByTokenHash(tokenHash: string): Promise<Device | undefined>;
  listForSchool(schoolId: string): Promise<Device[]>;
  revoke(id: string, at: string): Promise<void>;
  touch(id: string, lastSeenAt: string, agentVersion?: string): Promise<void>;
  count(): Promise<number>;
}
