/**
 * @module
 * The request's W3C trace, reachable from every backend call the request makes without threading it through the
 * embedding cache and the routers: `AsyncLocalStorage` (the Worker's `nodejs_als` flag). A backend call shared by
 * several requests (one coalesced miss) carries the trace of the request that made it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Trace } from '../adapters/shared/traceparent.ts';

const scope = new AsyncLocalStorage<Trace>();

/** Runs `work` with `trace` as the current request's trace. */
export function withTrace<T>(trace: Trace, work: () => T): T {
  return scope.run(trace, work);
}

/** The `traceparent` an outgoing call sends on: this hop's span as the parent, or nothing outside a request. */
export function outgoingTraceparent(): string | undefined {
  return scope.getStore()?.traceparent;
}
