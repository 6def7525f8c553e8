/**
 * @module
 * One structured log line per request (`log.ts`): request id, method, path (no query string, which may hold
 * data), status, duration, the API key's name when there is one (never the key) and the tenant the request acted
 * for, and its W3C trace (`traceId`, this hop's `spanId`, the caller's `parentId`: the caller's `traceparent`
 * continued, or a trace begun here; `adapters/shared/traceparent.ts`), which every backend call of the request sends
 * on (`trace-scope.ts`). 5xx log as errors, 4xx as warnings. Written once the answer has gone (`defer.ts`): a
 * console line costs the Worker as much CPU as the rest of a cached embedding.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.ts';
import { deferFor } from '../defer.ts';
import { continueTrace, traceFields } from '../../adapters/shared/traceparent.ts';
import { log } from '../log.ts';
import { withTrace } from '../trace-scope.ts';

export function requestLog(): MiddlewareHandler<AppEnv> {
  return async function requestLog(c, next) {
    const started = Date.now();
    const trace = continueTrace(c.req.header('traceparent'));
    c.set('trace', trace);
    await withTrace(trace, next);
    const status = c.res.status;
    const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
    const fields = {
      requestId: c.get('requestId'),
      ...traceFields(trace),
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
