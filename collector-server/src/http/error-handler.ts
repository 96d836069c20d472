import { type ErrorCode, KestrelError } from '@kestrel/shared/errors';
import type { FastifyError, FastifyInstance } from 'fastify';
import { ZodError } from 'zod';

// Fastify's own errors, mapped to the catalogue.
const FRAMEWORK_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_PROTO_VIOLATION: 'BAD_REQUEST',
  FST_INVALID_JSON_FIELD_ERROR: 'BAD_REQUEST',
  FST_ERR_VALIDATION: 'VALIDATION_FAILED',
};

const BY_STATUS: Record<number, ErrorCode> = {
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'NOT_READY',
};

/** Names the first failing field: `metadata.windowTitle: Too big: expected string to have <=1024 characters`. */
export function validationError(err: ZodError, prefix?: string): KestrelError {
  const issue = err.issues[0];
  const path = [prefix, ...(issue?.path ?? []).map(String)]
    .filter((p) => p !== undefined && p !== '')
    .join('.');
  const message = issue === undefined ? 'Invalid input' : `${path === '' ? 'body' : path}: ${issue.message}`;
  return new KestrelError('VALIDATION_FAILED', message.slice(0, 500));
}

export function toKestrelError(err: unknown): KestrelError {
  if (err instanceof KestrelError) return err;
  if (err instanceof ZodError) return validationError(err);
  const e = err as Partial<FastifyError> | undefined;
  const mapped = e?.code === undefined ? undefined : FRAMEWORK_CODES[e.code];
  if (mapped !== undefined) return new KestrelError(mapped, publicMessage(mapped, e), { cause: err });
  const status = e?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code = BY_STATUS[status] ?? 'BAD_REQUEST';
    return new KestrelError(code, publicMessage(code, e), { cause: err });
  }
  return new KestrelError('INTERNAL', 'An unexpected fault occurred; the server log has details', {
    cause: err,
  });
}

function publicMessage(code: ErrorCode, e: Partial<FastifyError> | undefined): string {
  // Framework messages are safe and specific ("Body is not valid JSON ..."), but bounded.
  return (e?.message ?? code).slice(0, 300);
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => {
    const k = toKestrelError(err);
    if (k.status >= 500) request.log.error({ err }, 'request failed');
    else request.log.info({ code: k.code }, k.message);
    app.kestrel.metrics.requestsRejected.inc({ code: k.code });
    return reply.code(k.status).headers(k.headers).send(k.toBody());
  });
  app.setNotFoundHandler((request, reply) => {
    app.kestrel.metrics.requestsRejected.inc({ code: 'NOT_FOUND' });
    return reply
      .code(404)
      .send(
        new KestrelError(
          'NOT_FOUND',
          `No route ${request.method} ${request.url.split('?')[0]?.slice(0, 200)}`,
        ).toBody(),
      );
  });
}
