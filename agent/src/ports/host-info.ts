/** Who and where: the capture's `machine` and `user`, the enrolment's `os`. */
export interface HostInfo {
  hostname(): string;
  username(): string;
  /** Short OS description, e.g. `linux 6.8.0`. */
  os(): string;
}
