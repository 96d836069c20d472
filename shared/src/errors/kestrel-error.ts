import { ERROR_CODES, type ErrorBody, type ErrorCode } from './codes.js';

/** An error with a stable, machine-readable code; its HTTP status comes from the catalogue. */
export class KestrelError extends Error {
  override readonly name = 'KestrelError';
  readonly code: ErrorCode;
  /** Extra headers for the answer (e.g. `Retry-After`). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    code: ErrorCode,
    message: string,
    options?: { cause?: unknown; headers?: Record<string, string> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.headers = options?.headers ?? {};
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message } };
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}
