/**
 * @module
 * The typed ModalFuse client: {@link createModalFuseClient}, {@link ok} and {@link ApiError} for answers,
 * {@link withRetries} for load shedding. See `client/client.ts` and `client/examples/`.
 */
export { createModalFuseClient } from './client.ts';
export type {
  BatchView,
  Classification,
  ClassifyRequest,
  ClientOptions,
  ExamplesRequest,
  ModalFuseClient,
  TaskEvaluation,
  TaskSummary,
  TaskView,
} from './client.ts';
export { ApiError, errorOf, ok } from './errors.ts';
export type { OkBody } from './errors.ts';
export { withRetries } from './retry.ts';
export type { RetryOptions } from './retry.ts';
