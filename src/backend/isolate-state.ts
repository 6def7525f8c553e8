/**
 * @module
 * What is kept between requests in one isolate (Workers reuse an isolate for many requests): each backend's
 * circuit breaker, each pool's retry budget and turn, the model metadata the KServe client has read, the tasks'
 * heads classify has built (`tasks/heads-cache.ts`), and what each environment configures (`services.ts`). One
 * object, made once per app (`createApp`, so once per isolate in production) and handed to the clients, so that no
 * state hides in module scope and each test can start from a fresh one.
 */
import { createMetadataCache, type MetadataCache } from './kserve.ts';
import { createBalancerState, type BalancerState } from './load-balancer.ts';
import { HeadsCache } from '../tasks/heads-cache.ts';

export interface IsolateState {
  readonly balancer: BalancerState;
  readonly metadata: MetadataCache;
  readonly heads: HeadsCache;
  /** What each environment object configures (`services.ts`), built on its first request. */
  readonly configured: WeakMap<object, unknown>;
}

export function createIsolateState(): IsolateState {
  return {
    balancer: createBalancerState(),
    metadata: createMetadataCache(),
    heads: new HeadsCache(),
    configured: new WeakMap(),
  };
}
