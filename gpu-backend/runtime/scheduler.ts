/**
 * @module
 * The seam between a request and a session. A {@link Scheduler} takes a request's items (feeds with batch
 * dim 1 each) and answers each item's outputs; how items become session runs is its business. The
 * {@link directScheduler} here runs a request's own items at once, in chunks of `max_batch_size` (what a model
 * without `dynamic_batching` gets); the dynamic batcher (`batcher.ts`) queues items across requests.
 */
import { collate, splitBatch } from './collate.ts';
import { cancelled } from './errors.ts';
import type { BatchObserver } from './stats.ts';
import type { RunTiming } from './session.ts';
import type { TensorMap } from './tensor.ts';

/**
 * Runs one batch on the model's session, fetching `outputs`. `owned`: the feeds were made for this run alone
 * (collated), so the session may take their buffers over instead of copying them. `timing`: filled with the
 * session's own compute time when it knows it.
 */
export type RunBatch = (
  feeds: TensorMap,
  outputs: readonly string[],
  owned?: boolean,
  timing?: RunTiming,
) => Promise<TensorMap>;

/**
 * Runs a batch and reports it to `observer` with the session's compute time, or, from a session that does
 * not report one, the time from call to answer.
 */
export async function observedRun(
  observer: BatchObserver | undefined,
  size: number,
  run: (timing: RunTiming) => Promise<TensorMap>,
): Promise<TensorMap> {
  const timing: RunTiming = {};
  const started = performance.now();
  let ok = false;
  try {
    const result = await run(timing);
    ok = true;
    return result;
  } finally {
    observer?.executed(size, timing.computeUs ?? (performance.now() - started) * 1000, ok);
  }
}

export interface ScheduleOptions {
  /** The request's deadline (µs from now): past it, an item still queued is answered 503 and never run. */
  readonly timeoutUs?: number;
  /**
   * Aborted when the client gives up (its connection closed): the request's items still queued are dropped unrun
   * and it rejects with 499 ({@link cancelled}); items already running finish, their results unused.
   */
  readonly signal?: AbortSignal;
}

export interface Scheduler {
  /**
   * Runs `items` and resolves with their outputs, in order. For a model that does not batch
   * (`max_batch_size` 0) each item is the model's feeds as they are, and so are its outputs.
   */
  schedule(
    items: readonly TensorMap[],
    outputs: readonly string[],
    options?: ScheduleOptions,
  ): Promise<TensorMap[]>;
  /** Items waiting in the queue (0 for a scheduler that queues nothing). */
  depth(): number;
  /** Graceful shutdown: run what is queued now rather than wait for fuller batches. */
  flush(): void;
}

/**
 * Chunks of `maxBatchSize` items (1 when the model takes one at a time), collated, run, split back. Requests
 * take the runners (session instances) in turn.
 */
export function directScheduler(
  maxBatchSize: number,
  runners: readonly RunBatch[],
  observer?: BatchObserver,
): Scheduler {
  let turn = 0;
  // Only a collated chunk is this run's own; an item run as it is belongs to its request.
  const timed = (size: number, feeds: TensorMap, outputs: readonly string[], run: RunBatch) =>
    observedRun(observer, size, (timing) => run(feeds, outputs, maxBatchSize > 0, timing));
  return {
    // Nothing waits here: a request's items run as it arrives.
    depth: () => 0,
    flush: () => {},
    // Nothing waits here to be dropped: a cancelled request is refused only if it is cancelled already.
    async schedule(items, outputs, options = {}) {
      if (options.signal?.aborted) throw cancelled('the request was cancelled before it ran');
      const run = runners[turn++ % runners.length];
      if (!run) throw new Error('the scheduler has no runner');
      const results: TensorMap[] = [];
      if (maxBatchSize <= 0) {
        for (const item of items) results.push(await timed(1, item, outputs, run));
        return results;
      }
      for (let start = 0; start < items.length; start += maxBatchSize) {
        const chunk = items.slice(start, start + maxBatchSize);
        const batch = await timed(chunk.length, collate(chunk), outputs, run);
        results.push(...splitBatch(batch, chunk.length));
      }
      return results;
    },
  };
}
