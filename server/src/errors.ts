/**
 * Errors with an HTTP status and a stable code. Routes and services throw these; the error
 * middleware turns them into `{"error":{"code","message","field"}}`. Anything else becomes a
 * generic 500 and is logged, never shown.
 */
export class AppError extends Error {
  constructor(
    /** HTTP status sent to the client. */
    readonly status: number,
    /** Stable, machine-readable identifier (snake_case). */
    readonly code: string,
    message: string,
    /** The request field at fault, when there is one. */
    readonly field?: string,
    /** Extra response headers (e.g. Retry-After). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  /** The JSON body sent to the client. */
  toBody(): { error: { code: string; message: string; field?: string } } {
    return {
      error: { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) },
    };
  }
}

/** 400: the request is malformed or a field is invalid. */
export const ValidationError = (message: string, field?: string, code = 'invalid_request') =>
  new AppError(400, code, message, field);

/** 404: the resource does not exist *or* the caller may not see it (never distinguishable). */
export const NotFoundError = (code = 'not_found', message = 'Not found.') => new AppError(404, code, message);

/** 409: the same id was sent with different content. */
export const ConflictError = (message: string, code = 'conflict', field?: string) =>
  new AppError(409, code, message, field);

/** 413: a body or file is larger than allowed. */
export const PayloadTooLargeError = (message: string, field?: string) =>
  new AppError(413, 'payload_too_large', message, field);

/** 415: an uploaded file is not an image type Vigie accepts. */
export const UnsupportedMediaError = (message: string, field?: string) =>
  new AppError(415, 'unsupported_media_type', message, field);

/** 422: well-formed but not processable (point outside every commune, undecodable image...). */
export const UnprocessableError = (message: string, code = 'unprocessable', field?: string) =>
  new AppError(422, code, message, field);

/** 401: authentication required. */
export const AuthenticationError = (message = 'Authentication required.') =>
  new AppError(401, 'authentication_required', message);

/** 403: authenticated but not allowed (used only where revealing existence is harmless). */
export const AuthorizationError = (message = 'Not allowed.') =>
  new AppError(403, 'authorization_error', message);

/** 429: too many requests; Retry-After in seconds. */
export const RateLimitError = (retryAfterSeconds: number) =>
  new AppError(429, 'rate_limited', 'Too many requests, try again later.', undefined, {
    'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))),
  });

/** 401: unknown email, wrong password or disabled account: one answer for all, so none is revealed. */
export const InvalidCredentialsError = () =>
  new AppError(401, 'invalid_credentials', 'Email or password is incorrect.');

/** 401: the password was right; the account also needs its TOTP code. */
export const TotpRequiredError = () =>
  new AppError(401, 'totp_required', 'Enter the 6-digit code from your authenticator app.', 'totp');

/** 401: the TOTP code is wrong, expired or was already used. */
export const InvalidTotpError = () =>
  new AppError(401, 'invalid_totp', 'This code is wrong or was already used; wait for the next one.', 'totp');

/** 403: staff sign-in over plain HTTP on a non-loopback address. */
export const HttpsRequiredError = () =>
  new AppError(403, 'https_required', 'Sign-in needs HTTPS. Open this page with https://.');

/** 403: a state-changing request with a session came from another site (CSRF). */
export const CsrfError = () =>
  new AppError(
    403,
    'csrf_rejected',
    'This request did not come from a Vigie page; reload the page and try again.',
  );
