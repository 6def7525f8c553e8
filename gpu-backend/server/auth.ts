/**
 * @module
 * The backend's shared-secret bearer token (`MODALFUSE_BACKEND_TOKEN`): when set, every route but the open paths
 * (`MODALFUSE_BACKEND_OPEN_PATHS`: exact paths, comma-separated; default the health probes and `/metrics`, so
 * orchestrators and Prometheus need no secret; empty = nothing open) needs `Authorization: Bearer <token>`.
 * Tokens are compared as SHA-256 digests with `timingSafeEqual`, so neither their bytes nor their length leak
 * through timing. Listening beyond loopback without a token is refused unless `MODALFUSE_BACKEND_INSECURE=1`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

export interface AuthSettings {
  /** The token every request must carry; `undefined`: the backend is open. */
  readonly token: string | undefined;
  /** Exact paths that need no token. */
  readonly openPaths: readonly string[];
}

export const defaultOpenPaths = ['/v2/health/live', '/v2/health/ready', '/metrics'] as const;

const loopbackHosts = new Set(['127.0.0.1', '::1', 'localhost']);

/** Whether a listening host is reachable from this machine only (`0.0.0.0`, `::` and real addresses are not). */
export function isLoopback(host: string): boolean {
  return loopbackHosts.has(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * The auth settings from the environment; throws (the backend refuses to start) when `host` is beyond loopback
 * with no token and no explicit `MODALFUSE_BACKEND_INSECURE=1`.
 */
export function readAuthSettings(env: NodeJS.ProcessEnv, host: string): AuthSettings {
  const token = env.MODALFUSE_BACKEND_TOKEN || undefined;
  const open = env.MODALFUSE_BACKEND_OPEN_PATHS;
  const openPaths =
    open === undefined
      ? [...defaultOpenPaths]
      : open
          .split(',')
          .map((path) => path.trim())
          .filter((path) => path !== '');
  if (token === undefined && !isLoopback(host) && env.MODALFUSE_BACKEND_INSECURE !== '1') {
    throw new Error(
      `refusing to listen on ${host} without authentication: set MODALFUSE_BACKEND_TOKEN (and the edge's ` +
        'BACKEND_TOKEN secret) to a long random secret, listen on 127.0.0.1, or set MODALFUSE_BACKEND_INSECURE=1 ' +
        'if something in front of the backend already authenticates every request',
    );
  }
  return { token, openPaths };
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** Constant-time comparison of a presented token with the expected one's digest. */
function matches(presented: string, expected: Buffer): boolean {
  return timingSafeEqual(digest(presented), expected);
}

/** 401 as problem+json; `error` too, the field Triton-style clients (and the edge) read. */
function unauthorized(detail: string): Response {
  const body = { type: 'about:blank', title: 'Unauthorized', status: 401, detail, error: detail };
  return new Response(JSON.stringify(body), {
    status: 401,
    headers: { 'content-type': 'application/problem+json', 'www-authenticate': 'Bearer' },
  });
}

/** Requires the bearer token on every path but the open ones; passes everything when there is no token. */
export function bearerAuth(settings: AuthSettings): MiddlewareHandler {
  const { token } = settings;
  const expected = token === undefined ? undefined : digest(token);
  const open = new Set(settings.openPaths);
  return async function bearerAuth(c, next) {
    if (expected === undefined || open.has(c.req.path)) return next();
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) return unauthorized('this backend needs an Authorization: Bearer token');
    if (!matches(match[1] ?? '', expected)) return unauthorized('the bearer token is not valid');
    await next();
  };
}
