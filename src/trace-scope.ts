/**
 * @module
 * The request's W3C trace, reachable from every backend call the request makes without threading it through the
 * embedding cache and the routers: `AsyncLocalStorage` (the Worker's `nodejs_als` flag). The same scope tells
 * isolate-wide caches which request is asking (`backend/ttl-cache.ts`).
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

/** The current request's identity (its trace object), or undefined outside a request. */
export function requestScope(): object | undefined {
  return scope.getStore();
}
