import type { LogFields, Logger, LogLevel } from '../ports/logger.js';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * One JSON object per line: `{"time","level","msg",...fields}`. Callers pass small structured
 * fields; typed text never reaches a log line (the pipeline logs terms and ids, not context).
 */
export class JsonLineLogger implements Logger {
  constructor(
    private readonly level: LogLevel = 'info',
    private readonly write: (line: string) => void = (line) => process.stdout.write(line),
  ) {}

  debug(message: string, fields?: LogFields) {
    this.log('debug', message, fields);
  }
  info(message: string, fields?: LogFields) {
    this.log('info', message, fields);
  }
  warn(message: string, fields?: LogFields) {
    this.log('warn', message, fields);
  }
  error(message: string, fields?: LogFields) {
    this.log('error', message, fields);
  }

  private log(level: LogLevel, msg: string, fields: LogFields | undefined) {
    if (RANK[level] < RANK[this.level]) return;
    this.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`);
  }
}
