/**
 * @module
 * Every failure becomes problem+json: `app.onError`, `app.notFound` and the request-validation hook. Known errors
 * map to their 4xx/5xx; anything else is a 500 with a generic detail, logged with the request id (the body never
 * leaks internals).
 */
import type { Hook } from '@hono/zod-openapi';
import type { ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { adapterErrorCodes, isAdapterInputError, type AdapterErrorCode } from '../adapters/errors.ts';
import { BackendError, BackendInputError } from './backend/errors.ts';
import type { AppEnv } from './env.ts';
import { DimensionMismatchError } from './heads/prototype.ts';
import { errorFields, log } from './log.ts';
import { UnknownNameError } from './lookup-error.ts';
import { endValidation } from './timer.ts';
import { ApiError, problemResponse } from './problem.ts';

const httpExceptionCodes: Readonly<Record<number, string>> = {
  400: 'bad-request',
  401: 'unauthorized',
  413: 'body-too-large',
  415: 'unsupported-media-type',
};

function fromBackend(error: BackendError): ApiError {
  switch (error.kind) {
    case 'unavailable':
      return new ApiError(503, 'backend-unavailable', error.message, {
        headers: { 'Retry-After': String(error.retryAfter) },
      });
    case 'unknown-model':
      return new ApiError(422, 'model-not-served', error.message);
    case 'bad-response':
      return new ApiError(502, 'backend-bad-response', error.message);
  }
}

/**
 * The backend could not use bytes the edge accepted: the adapter's status when the backend named its error code
 * (415, 422, 413), else 422.
 */
function fromBackendInput(error: BackendInputError): ApiError {
  const code = error.code ?? '';
  const status = Object.hasOwn(adapterErrorCodes, code) ? adapterErrorCodes[code as AdapterErrorCode] : 422;
  const extensions = {
    model: error.model,
    backendMessage: error.backendMessage,
    adapterCode: error.code,
    ...(error.reason === undefined ? {} : { reason: error.reason }),
  };
  return new ApiError(status, 'input-rejected-by-model', error.message, { extensions });
}

/** The {@link ApiError} a known error answers with; `undefined` for an unexpected one. */
export function toApiError(error: unknown): ApiError | undefined {
  if (error instanceof ApiError) return error;
  if (isAdapterInputError(error)) {
    return new ApiError(error.status as ContentfulStatusCode, error.code, error.message, {
      extensions: error.details,
    });
  }
  if (error instanceof UnknownNameError) {
    const code = `unknown-${error.kind.replaceAll(' ', '-')}`;
    return new ApiError(400, code, error.message, { extensions: { known: error.known } });
  }
  if (error instanceof BackendError) return fromBackend(error);
  if (error instanceof BackendInputError) return fromBackendInput(error);
  if (error instanceof DimensionMismatchError) {
    const detail = `${error.message}; the task was taught with another model output and must be recreated`;
    return new ApiError(409, 'head-dimension-mismatch', detail);
  }
  if (error instanceof HTTPException) {
    const code = httpExceptionCodes[error.status] ?? 'http-error';
    return new ApiError(error.status as ContentfulStatusCode, code, error.message || code);
  }
  return undefined;
}

export const handleError: ErrorHandler<AppEnv> = (error, c) => {
  const known = toApiError(error);
  if (known !== undefined) return problemResponse(c, known);
  log('error', 'unexpected error', { requestId: c.get('requestId'), ...errorFields(error) });
  const detail = `an unexpected error occurred; quote request id ${c.get('requestId')} when reporting it`;
  return problemResponse(c, new ApiError(500, 'internal-error', detail));
};

export const handleNotFound: NotFoundHandler<AppEnv> = (c) =>
  problemResponse(c, new ApiError(404, 'no-route', `there is no route for ${c.req.method} ${c.req.path}`));

interface Issue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

function describeIssue(issue: Issue): string {
  const path = issue.path.map(String).join('.');
  return path === '' ? issue.message : `${path}: ${issue.message}`;
}

/** Request validation failures (zod) as a 400 problem listing every issue. */
export const validationHook: Hook<unknown, AppEnv, string, Response | undefined> = (result, c) => {
  endValidation(c);
  if (result.success) return undefined;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  const shown = result.error.issues.slice(0, 3).map(describeIssue).join('; ');
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : '';
  const detail = `the ${result.target} is invalid: ${shown}${more}`;
  return problemResponse(c, new ApiError(400, 'invalid-request', detail, { extensions: { issues } }));
};
