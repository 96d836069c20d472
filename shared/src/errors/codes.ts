/**
 * The one catalogue of stable error codes. Every API error is answered as
 * `{"error": {"code", "message"}}` with the status given here; `docs/errors.md` documents each
 * code (a test fails when one is missing). Add codes freely; never change or reuse one.
 */
export const ERROR_CODES = {
  BAD_REQUEST: { status: 400, meaning: 'The request is malformed (bad JSON, wrong shape).' },
  VALIDATION_FAILED: { status: 400, meaning: 'A field failed validation; the message names it.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, meaning: 'The Content-Type is not one this route accepts.' },
  PAYLOAD_TOO_LARGE: { status: 413, meaning: 'The body or a part of it is larger than allowed.' },
  MULTIPART_PART_MISSING: { status: 400, meaning: 'A required multipart part is absent.' },
  SCREENSHOT_INVALID: {
    status: 422,
    meaning: 'The screenshot part is not a decodable image of an accepted type.',
  },
  SCREENSHOT_TOO_LARGE: { status: 413, meaning: 'The screenshot exceeds the byte or pixel limits.' },
  ENROLMENT_TOKEN_INVALID: { status: 401, meaning: 'The enrolment token is unknown, revoked or expired.' },
  DEVICE_TOKEN_MISSING: { status: 401, meaning: 'No device token was sent (Authorization: Bearer …).' },
  DEVICE_TOKEN_INVALID: { status: 401, meaning: 'The device token is unknown.' },
  DEVICE_REVOKED: { status: 403, meaning: 'The device was revoked; it must be enrolled again.' },
  UNAUTHENTICATED: { status: 401, meaning: 'No valid staff session; sign in first.' },
  INVALID_CREDENTIALS: { status: 401, meaning: 'The email or password is wrong.' },
  TOTP_REQUIRED: { status: 401, meaning: 'Two-factor code needed for this account.' },
  TOTP_INVALID: { status: 401, meaning: 'The two-factor code is wrong or expired.' },
  ACCOUNT_LOCKED: { status: 429, meaning: 'Too many failed sign-ins; try again after Retry-After seconds.' },
  CSRF_FAILED: { status: 403, meaning: 'The CSRF token is missing or does not match the session.' },
  TOTP_ENROLMENT_REQUIRED: {
    status: 403,
    meaning: 'Roles that see captures must set up two-factor authentication before using moderation routes.',
  },
  REVEAL_REQUIRED: {
    status: 403,
    meaning:
      'An illegal-content capture image is sent only after a reveal with a reason; never as a thumbnail.',
  },
  FORBIDDEN: { status: 403, meaning: 'Signed in, but this role or school may not do this.' },
  NOT_FOUND: { status: 404, meaning: 'No such resource (or not visible to you).' },
  CONFLICT: { status: 409, meaning: 'The request conflicts with the current state.' },
  LEGAL_HOLD: { status: 409, meaning: 'The record is under legal hold and cannot be deleted.' },
  RATE_LIMITED: { status: 429, meaning: 'Too many requests; retry after Retry-After seconds.' },
  NOT_READY: { status: 503, meaning: 'The server cannot serve yet (database unreachable, shutting down).' },
  INTERNAL: { status: 500, meaning: 'An unexpected fault; the server log has details, the answer has none.' },
} as const satisfies Record<string, { status: number; meaning: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}
