export interface School {
  id: string;
  name: string;
  /** IANA time zone in which the school's staff read times (default Europe/London). */
  timeZone: string;
  createdAt: string;
}

export interface SchoolsRepository {
  create(school: School): Promise<void>;
  get(id: string): Promise<School | undefined>;
  list(): Promise<School[]>;
  count(): Promise<number>;
}
