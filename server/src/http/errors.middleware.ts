import type { ErrorRequestHandler, RequestHandler } from 'express';
import multer from 'multer';
import { AppError, NotFoundError, PayloadTooLargeError, ValidationError } from '../errors';
import { LIMITS } from '../contract/limits';

/** Maps multer's limit errors to the contract's error bodies. */
function fromMulter(err: multer.MulterError): AppError {
  const field = err.field;
  switch (err.code) {
    case 'LIMIT_FILE_SIZE':
      return PayloadTooLargeError(
        `Each photo must be at most ${LIMITS.maxPhotoBytes / 1024 / 1024} MB.`,
        field,
      );
    case 'LIMIT_FILE_COUNT':
      return ValidationError(`At most ${LIMITS.maxPhotos} photos per report.`, 'photos', 'too_many_files');
    case 'LIMIT_UNEXPECTED_FILE':
      return ValidationError(
        field === 'photos'
          ? `At most ${LIMITS.maxPhotos} photos per report.`
          : `Unexpected file field "${field}"; photos go in "photos".`,
        field,
        field === 'photos' ? 'too_many_files' : 'unexpected_file',
      );
    case 'LIMIT_FIELD_VALUE':
      return PayloadTooLargeError('A form field is too long.', field);
    case 'LIMIT_FIELD_COUNT':
    case 'LIMIT_PART_COUNT':
      return ValidationError('Too many form fields.', undefined, 'too_many_fields');
    case 'LIMIT_FIELD_KEY':
      return ValidationError('A form field name is too long.', undefined, 'invalid_request');
    default:
      return ValidationError(err.message, field, 'malformed_multipart');
  }
}

/** Body-parser and busboy errors carry a `status`/`type`; turn them into 4xx bodies. */
function fromParser(err: Error & { status?: number; type?: string }): AppError | undefined {
  if (err.type === 'entity.parse.failed')
    return ValidationError('The JSON body is malformed.', undefined, 'malformed_json');
  if (err.type === 'entity.too.large') return PayloadTooLargeError('The request body is too large.');
  if (err.type === 'encoding.unsupported' || err.type === 'charset.unsupported')
    return new AppError(415, 'unsupported_media_type', 'Unsupported body encoding.');
  if (err.type === 'request.aborted')
    return ValidationError('The request was aborted.', undefined, 'request_aborted');
  if (typeof err.status === 'number' && err.status >= 400 && err.status < 500)
    return new AppError(err.status, 'invalid_request', 'The request could not be read.');
  // busboy's parse errors (Unexpected end of form, Malformed part header, ...) have no status.
  if (
    /^(Unexpected end of form|Malformed part header|Multipart: Boundary not found|Unexpected end of multipart data)/i.test(
      err.message,
    )
  )
    return ValidationError('The multipart body is malformed.', undefined, 'malformed_multipart');
  return undefined;
}

/** Last middleware: every error becomes a JSON body; unknown ones a plain 500, logged. */
export const errorHandler: ErrorRequestHandler = (err: unknown, req, res, _next) => {
  let appErr: AppError | undefined;
  if (err instanceof AppError) appErr = err;
  else if (err instanceof multer.MulterError) appErr = fromMulter(err);
  else if (err instanceof Error) appErr = fromParser(err);
  if (!appErr) {
    req.log?.error({ err }, 'unhandled error');
    appErr = new AppError(500, 'internal_error', 'Something went wrong on our side; please try again.');
  } else if (appErr.status >= 500) {
    req.log?.error({ err }, 'server error');
  }
  if (res.headersSent) {
    res.destroy();
    return;
  }
  for (const [k, v] of Object.entries(appErr.headers ?? {})) res.setHeader(k, v);
  res.status(appErr.status).json(appErr.toBody());
};

/** Unknown API paths answer a JSON 404, not the client's index.html. */
export const apiNotFound: RequestHandler = (_req, _res, next) => {
  next(NotFoundError('route_not_found', 'No such API route.'));
};
