/**
 * @module
 * One JSON line per request (`level`, `message`, `traceId`, `spanId`, `parentId`, method, path, status,
 * `durationMs`), continuing the caller's W3C `traceparent` (the edge's, or any client's) or beginning a trace,
 * so that a request is found on both sides by its trace id. 5xx log as errors, 4xx as warnings.
 */
import type { MiddlewareHandler } from 'hono';
import { continueTrace, traceFields } from '../../adapters/shared/traceparent.ts';

export function requestLog(write: (line: string) => void): MiddlewareHandler {
  return async function requestLog(c, next) {
    const started = performance.now();
    const trace = continueTrace(c.req.header('traceparent'));
    await next();
    const status = c.res.status;
    const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
    const line = {
      level,
      message: 'request',
      ...traceFields(trace),
      method: c.req.method,
      path: c.req.path,
      status,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
    };
    write(JSON.stringify(line));
  };
}
