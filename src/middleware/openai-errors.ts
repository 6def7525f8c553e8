/**
 * @module
 * OpenAI-shaped errors on the OpenAI-compatible routes: every other route answers problem+json (RFC 9457), but
 * OpenAI's SDKs (and LangChain on top of them) read `{error: {message, type, param, code}}`, so on these routes
 * a problem is re-expressed in that shape after the fact. Status, `Retry-After`, `WWW-Authenticate` and the
 * request id stay as they were; the problem's slug becomes `code`, and the first invalid field becomes `param`.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.ts';
import { problemContentType } from '../problem.ts';

export interface OpenAIError {
  readonly error: {
    readonly message: string;
    readonly type: string;
    readonly param: string | null;
    readonly code: string | null;
    /** The problem's extension members (`requestId`, `known`, `issues`, …), which OpenAI's clients ignore. */
    readonly [extension: string]: unknown;
  };
}

/** The problem members that become OpenAI's four, or are implied by the status. */
const replaced = new Set(['type', 'title', 'status', 'detail', 'instance', 'code']);

/** OpenAI's error `type` for an HTTP status. */
export function openAIErrorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

function firstParam(problem: Record<string, unknown>): string | null {
  const issues = problem.issues;
  if (!Array.isArray(issues)) return null;
  const path = (issues[0] as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' && path !== '' ? path : null;
}

/** The OpenAI error body for a problem+json body. */
export function openAIErrorOf(problem: Record<string, unknown>, status: number): OpenAIError {
  const message = typeof problem.detail === 'string' ? problem.detail : `HTTP ${status}`;
  const code = typeof problem.code === 'string' ? problem.code : null;
  const extensions = Object.entries(problem).filter(([name]) => !replaced.has(name));
  return {
    error: {
      ...Object.fromEntries(extensions),
      message,
      type: openAIErrorType(status),
      param: firstParam(problem),
      code,
    },
  };
}

export function openAIErrors(): MiddlewareHandler<AppEnv> {
  return async function openAIErrors(c, next) {
    await next();
    if (!(c.res.headers.get('content-type') ?? '').startsWith(problemContentType)) return;
    const problem = (await c.res.clone().json()) as Record<string, unknown>;
    const headers = new Headers(c.res.headers);
    headers.set('content-type', 'application/json');
    const body = JSON.stringify(openAIErrorOf(problem, c.res.status));
    c.res = new Response(body, { status: c.res.status, headers });
  };
}
