import type { Role } from './roles.js';

export interface User {
  id: string;
  /** Stored lower-cased; unique. */
  email: string;
  displayName: string;
  passwordHash: string;
  createdAt: string;
  disabledAt: string | null;
}

export interface Membership {
  userId: string;
  schoolId: string;
  role: Role;
}

export interface UsersRepository {
  create(user: User): Promise<void>;
  get(id: string): Promise<User | undefined>;
  findByEmail(email: string): Promise<User | undefined>;
  count(): Promise<number>;
  setPasswordHash(id: string, passwordHash: string): Promise<void>;
  addMembership(membership: Membership): Promise<void>;
  removeMembership(membership: Membership): Promise<void>;
  memberships(userId: string): Promise<Membership[]>;
}
