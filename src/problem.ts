/**
 * @module
 * RFC 9457 problem details: every error the API answers is `application/problem+json` with
 * `{type, title, status, detail, instance}` plus extension members (`code`, `requestId`, and facts such as the
 * names that are known when a lookup failed). {@link ApiError} is what handlers throw to answer one.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export const problemContentType = 'application/problem+json';

/** Problem types are relative URI references (RFC 9457 §3.1.1), resolved against the API's own origin. */
const typeBase = '/problems/';

const titles: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export type ProblemExtensions = Readonly<Record<string, unknown>>;

export interface ApiErrorOptions {
  /** Extension members added to the problem body. */
  readonly extensions?: ProblemExtensions;
  /** Response headers, e.g. `Retry-After` or `WWW-Authenticate`. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** An error with a known HTTP answer. `code` is a stable machine-readable slug, also the problem type's name. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    detail: string,
    readonly options: ApiErrorOptions = {},
  ) {
    super(detail);
  }
}

/** The problem's members that do not depend on the request: also what a batch item's `error` carries. */
export interface ProblemFields {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly [extension: string]: unknown;
}

export interface Problem extends ProblemFields {
  readonly instance: string;
}

export function problemFields(error: ApiError): ProblemFields {
  return {
    ...error.options.extensions,
    type: `${typeBase}${error.code}`,
    title: titles[error.status] ?? 'Error',
    status: error.status,
    detail: error.message,
    code: error.code,
  };
}

/** The problem body for an error; `instance` is the request path, and the request id rides along. */
function problemOf(c: Context, error: ApiError): Problem {
  return {
    ...problemFields(error),
    instance: c.req.path,
    requestId: c.get('requestId') as string | undefined,
  };
}

/** Answers an {@link ApiError} as problem+json, through the context so that headers set earlier survive. */
export function problemResponse(c: Context, error: ApiError): Response {
  for (const [name, value] of Object.entries(error.options.headers ?? {})) c.header(name, value);
  c.header('content-type', problemContentType);
  return c.body(JSON.stringify(problemOf(c, error)), error.status);
}
