/**
 * @module
 * The scheduler a model's config asks for: the dynamic batcher when it has `dynamic_batching` and batches
 * (`max_batch_size` > 0), else the direct scheduler, as in Triton. Settings default like Triton's, except the
 * queue, which is always bounded.
 */
import type { ModelConfig } from '../model-repository/config.ts';
import { DynamicBatcher } from './batcher.ts';
import { directScheduler, type RunBatch, type Scheduler } from './scheduler.ts';
import type { BatchObserver } from './stats.ts';

/** Queue bound (items) when the config sets none. */
export const DEFAULT_MAX_QUEUE_SIZE = 1024;

/** The `max_padding_waste` parameter (a share, 0–1: `BatchPolicy.maxPaddingWaste`); undefined when absent. */
export function maxPaddingWaste(config: ModelConfig): number | undefined {
  const raw = config.parameters.max_padding_waste?.string_value;
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !(value >= 0 && value <= 1)) {
    throw new Error(`parameter max_padding_waste must be a number from 0 to 1, got "${raw}"`);
  }
  return value;
}

/** The `max_batch_tokens` parameter (a positive integer: `BatchPolicy.maxBatchTokens`); undefined when absent. */
export function maxBatchTokens(config: ModelConfig): number | undefined {
  const raw = config.parameters.max_batch_tokens?.string_value;
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^\s*\d+\s*$/.test(raw) || !(value >= 1)) {
    throw new Error(`parameter max_batch_tokens must be a whole number of at least 1, got "${raw}"`);
  }
  return value;
}

/** The queue bound (items) of `config`, also what preprocessing admits at once ({@link Admission}). */
export function queueBound(config: ModelConfig): number {
  const batching = config.dynamic_batching;
  const policy = batching?.default_queue_policy;
  return policy?.max_queue_size ?? batching?.max_queue_size ?? DEFAULT_MAX_QUEUE_SIZE;
}

export function makeScheduler(
  config: ModelConfig,
  runners: readonly RunBatch[],
  observer: BatchObserver,
): Scheduler {
  const batching = config.dynamic_batching;
  if (!batching || config.max_batch_size <= 0) {
    return directScheduler(config.max_batch_size, runners, observer);
  }
  const policy = batching.default_queue_policy;
  return new DynamicBatcher({
    policy: {
      maxBatchSize: config.max_batch_size,
      maxQueueDelayMs: (batching.max_queue_delay_microseconds ?? 0) / 1000,
      preferredBatchSizes: batching.preferred_batch_size ?? [],
      maxPaddingWaste: maxPaddingWaste(config),
      maxBatchTokens: maxBatchTokens(config),
    },
    maxQueueSize: queueBound(config),
    defaultTimeoutUs: policy?.default_timeout_microseconds ?? 0,
    runners,
    // Sessions run in worker threads (worker-session.ts): keep one batch waiting at each.
    prefetch: 1,
    observer,
  });
}
