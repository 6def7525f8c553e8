/**
 * @module
 * Stage timing for `Server-Timing` (Hono's `timing` middleware): a handler wraps each stage of its work, and the
 * metric is recorded even when the stage throws. Each run adds its own entry, so stages of one name may overlap
 * (one cache lookup per model, in parallel) or repeat (a cascade's rounds). Validation is timed from the end of the
 * middleware to the route's validator hook (`error-handler.ts`).
 */
import type { Context } from 'hono';
import { endTime, setMetric, startTime } from 'hono/timing';
import type { AppEnv } from './env.ts';

/** Runs one stage of the request under a `Server-Timing` metric. */
export type Timer = <T>(metric: string, work: () => T | Promise<T>) => Promise<T>;

export function timerFor(c: Context<AppEnv>): Timer {
  return async (metric, work) => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      setMetric(c, metric, performance.now() - started);
    }
  };
}

/** Requests whose validation is being timed. */
const validating = new WeakSet<Context>();

/** Starts the `validate` metric of a request with a body (its route's validators run next). */
export function startValidation(c: Context<AppEnv>): void {
  if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'DELETE') return;
  startTime(c, 'validate');
  validating.add(c);
}

/** Ends it at the first validator's verdict; the later validators of the route are not timed. */
export function endValidation(c: Context): void {
  if (validating.delete(c)) endTime(c, 'validate');
}
