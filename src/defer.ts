/**
 * @module
 * Work that need not delay the answer (cache writes, the request's log line): handed to the runtime with
 * `ctx.waitUntil`, which keeps the isolate alive for it after the response is sent. Where there is no execution
 * context (`app.request` in unit tests, work outside a request) the work just runs on by itself; either way a
 * failure is logged, never thrown at a request that has already been answered.
 */
import type { Context } from 'hono';
import { errorFields, log } from './log.ts';

/** Lets `work` (already started) finish after the answer. */
export type Defer = (work: Promise<unknown>) => void;

interface WaitUntil {
  waitUntil(promise: Promise<unknown>): void;
}

export function deferTo(ctx: WaitUntil | undefined): Defer {
  return (work) => {
    const logged = work.catch((error: unknown) => log('error', 'deferred work failed', errorFields(error)));
    ctx?.waitUntil(logged);
  };
}

/** The request's execution context, if it has one (Hono's getter throws when it has not). */
function executionContextOf(c: Context): WaitUntil | undefined {
  try {
    return c.executionCtx;
  } catch {
    return undefined;
  }
}

/** The request's {@link Defer}; its context is looked up only when there is work (the getter may throw). */
export function deferFor(c: Context): Defer {
  return (work) => deferTo(executionContextOf(c))(work);
}

/**
 * Runs `work` once the answer has gone: in the request's `waitUntil`, after a turn of the event loop (a microtask
 * would still run before the response is sent); at once where there is no execution context.
 */
export function afterAnswer(c: Context, work: () => void): void {
  const ctx = executionContextOf(c);
  if (ctx === undefined) return work();
  deferTo(ctx)(new Promise((resolve) => setTimeout(resolve, 0)).then(work));
}
