import type { HostInfo } from '../host-info.js';
import type { LogFields, Logger } from '../logger.js';

export class FakeHost implements HostInfo {
  hostname() {
    return 'LAB-PC-07';
  }
  username() {
    return 'pupil.one';
  }
  os() {
    return 'linux test';
  }
}

/** Keeps every log line, so tests can check what would have reached a log file. */
export class MemoryLogger implements Logger {
  readonly lines: { level: string; message: string; fields?: LogFields }[] = [];
  debug(message: string, fields?: LogFields) {
    this.lines.push({ level: 'debug', message, fields });
  }
  info(message: string, fields?: LogFields) {
    this.lines.push({ level: 'info', message, fields });
  }
  warn(message: string, fields?: LogFields) {
    this.lines.push({ level: 'warn', message, fields });
  }
  error(message: string, fields?: LogFields) {
    this.lines.push({ level: 'error', message, fields });
  }
  text(): string {
    return this.lines.map((l) => JSON.stringify(l)).join('\n');
  }
}
