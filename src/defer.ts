/**
 * @module
 * Work that need not delay the answer (cache writes, the request's log line): started after the handler returns,
 * inside the request's `ctx.waitUntil`, which keeps the isolate alive for it. Started at once, the work would run
 * in the same turns of the event loop as the writing of the response and hold its last bytes back (measured with
 * `bench:edge`: a Cache API write started at once cost a miss ≈ 1.3 ms; one turn later still ≈ 1 ms; 3 ms later
 * nothing), so heavy work waits {@link deferDelayMs}. A log line is cheap and waits one turn only: written later,
 * it could outlive the request's caller (a test file that has ended), whose console is gone by then. Where there
 * is no execution context (`app.request` in unit tests, work outside a request) the work starts at once. Either
 * way a failure is logged, never thrown at a request that has already been answered.
 */
import type { Context } from 'hono';
import { errorFields, log } from './log.ts';

/** Runs `work` once the answer has gone. */
export type Defer = (work: () => unknown) => void;

interface WaitUntil {
  waitUntil(promise: Promise<unknown>): void;
}

/** How long after the handler returns heavy deferred work starts: the response is on its way by then. */
export const deferDelayMs = 5;

/** `delayMs` 0: a turn of the event loop (a microtask would still run before the response is sent). */
export function deferTo(ctx: WaitUntil | undefined, delayMs = deferDelayMs): Defer {
  return (work) => {
    const started =
      ctx === undefined
        ? Promise.resolve().then(work)
        : new Promise((resolve) => setTimeout(resolve, delayMs)).then(work);
    const logged = started.catch((error: unknown) =>
      log('error', 'deferred work failed', errorFields(error)),
    );
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
export function deferFor(c: Context, delayMs = deferDelayMs): Defer {
  return (work) => deferTo(executionContextOf(c), delayMs)(work);
}
