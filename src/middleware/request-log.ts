/**
 * @module
 * One structured log line per request (`log.ts`): request id, method, path (no query string, which may hold
 * data), status, duration, the API key's name when there is one (never the key) and the tenant the request acted
 * for. 5xx log as errors, 4xx as warnings. Written once the answer has gone (`defer.ts`): a console line costs
 * the Worker as much CPU as the rest of a cached embedding.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.ts';
import { deferFor } from '../defer.ts';
import { log } from '../log.ts';

export function requestLog(): MiddlewareHandler<AppEnv> {
  return async function requestLog(c, next) {
    const started = Date.now();
    await next();
    const status = c.res.status;
    const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
    const fields = {
      requestId: c.get('requestId'),
      method: c.req.method,
      path: c.req.path,
      status,
      durationMs: Date.now() - started,
      ...(c.get('apiKey') === undefined ? {} : { apiKey: c.get('apiKey') }),
      ...(c.get('tenant') === undefined ? {} : { tenant: c.get('tenant')?.name }),
    };
    deferFor(c, 0)(() => log(level, 'request', fields));
  };
}
