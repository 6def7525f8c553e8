/**
 * @module
 * Stage timing for `Server-Timing` (Hono's `timing` middleware): a handler wraps each stage of its work, and the
 * metric is recorded even when the stage throws.
 */
import type { Context } from 'hono';
import { endTime, startTime } from 'hono/timing';
import type { AppEnv } from './env.ts';

/** Runs one stage of the request under a `Server-Timing` metric. */
export type Timer = <T>(metric: string, work: () => T | Promise<T>) => Promise<T>;

export function timerFor(c: Context<AppEnv>): Timer {
  return async (metric, work) => {
    startTime(c, metric);
    try {
      return await work();
    } finally {
      endTime(c, metric);
    }
  };
}
