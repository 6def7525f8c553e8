/**
 * @module
 * What the backend clients keep between requests in one isolate (Workers reuse an isolate for many requests):
 * each backend's circuit breaker, each pool's retry budget and turn, and the model metadata the KServe client has
 * read. One object, made once per app (`createApp`, so once per isolate in production) and handed to the clients,
 * so that no state hides in module scope and each test can start from a fresh one.
 */
import { createMetadataCache, type MetadataCache } from './kserve.ts';
import { createBalancerState, type BalancerState } from './load-balancer.ts';

export interface IsolateState {
  readonly balancer: BalancerState;
  readonly metadata: MetadataCache;
}

export function createIsolateState(): IsolateState {
  return { balancer: createBalancerState(), metadata: createMetadataCache() };
}
