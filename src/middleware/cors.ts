/**
 * @module
 * CORS for browser callers, off unless `CORS_ORIGINS` names the origins allowed (comma-separated, exact
 * `scheme://host[:port]`), or `*` for any. An allowed origin's preflight is answered here, before auth (a browser
 * sends it without the key), echoing the headers it asks for (the openai SDK's `x-stainless-*` among them); its
 * other requests get `Access-Control-Allow-Origin` and the headers a caller reads (`x-request-id`,
 * `Server-Timing`, `Retry-After`) exposed. Any other origin gets no CORS header, so the browser refuses it.
 * Credentials (cookies) are never allowed: the API authenticates by bearer key.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.ts';

const allowedMethods = 'GET, POST, PUT, DELETE';
const exposedHeaders = 'x-request-id, server-timing, retry-after';
/** How long a browser may reuse a preflight's answer, in seconds. */
const preflightMaxAgeSeconds = 600;

/** The `Access-Control-Allow-Origin` value for `origin`, or undefined when it is not allowed (or CORS is off). */
export function allowedOrigin(setting: string | undefined, origin: string | undefined): string | undefined {
  if (origin === undefined || setting === undefined) return undefined;
  const origins = setting.split(',').map((entry) => entry.trim().replace(/\/+$/, ''));
  if (origins.includes('*')) return '*';
  return origins.includes(origin) ? origin : undefined;
}

function preflight(allowed: string, requestedHeaders: string | undefined): Response {
  const headers = new Headers({
    'access-control-allow-origin': allowed,
    'access-control-allow-methods': allowedMethods,
    'access-control-max-age': String(preflightMaxAgeSeconds),
    vary: 'Origin, Access-Control-Request-Headers',
  });
  if (requestedHeaders) headers.set('access-control-allow-headers', requestedHeaders);
  return new Response(null, { status: 204, headers });
}

export function cors(): MiddlewareHandler<AppEnv> {
  return async function cors(c, next) {
    const allowed = allowedOrigin(c.env?.CORS_ORIGINS, c.req.header('origin'));
    if (allowed === undefined) return next();
    if (c.req.method === 'OPTIONS' && c.req.header('access-control-request-method') !== undefined) {
      c.res = preflight(allowed, c.req.header('access-control-request-headers'));
      return;
    }
    await next();
    // `c.header` on a finished response copies it first: one passed through from a binding is immutable.
    c.header('access-control-allow-origin', allowed);
    c.header('access-control-expose-headers', exposedHeaders);
    if (allowed !== '*') c.header('vary', 'Origin', { append: true });
  };
}
