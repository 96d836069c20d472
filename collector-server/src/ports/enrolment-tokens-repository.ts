export interface EnrolmentToken {
  id: string;
  schoolId: string;
  /** SHA-256 (hex) of the token; the token itself is shown once and never stored. */
  tokenHash: string;
  label: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

export interface EnrolmentTokensRepository {
  create(token: EnrolmentToken): Promise<void>;
  findByHash(tokenHash: string): Promise<EnrolmentToken | undefined>;
  listForSchool(schoolId: string): Promise<EnrolmentToken[]>;
  revoke(id: string, at: string): Promise<void>;
  count(): Promise<number>;
}
