export interface Session {
  /** SHA-256 (hex) of the cookie value; the value itself is never stored. */
  idHash: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
  lastSeenAt: string;
}

export interface SessionsRepository {
  create(session: Session): Promise<void>;
  get(idHash: string): Promise<Session | undefined>;
  touch(idHash: string, lastSeenAt: string): Promise<void>;
  delete(idHash: string): Promise<void>;
  deleteForUser(userId: string): Promise<number>;
  deleteExpired(now: string): Promise<number>;
}
