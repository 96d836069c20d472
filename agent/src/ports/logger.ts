export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Fields are small, structured and never typed text except the bounded context of a match. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}
