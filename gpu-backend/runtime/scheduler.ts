/**
 * @module
 * The seam between a request and a session. A {@link Scheduler} takes a request's items (feeds with batch
 * dim 1 each) and answers each item's outputs; how items become session runs is its business. The
 * {@link directScheduler} here runs a request's own items at once, in chunks of `max_batch_size`; the dynamic
 * batcher will implement the same interface by queueing items across requests.
 */
import { collate, splitBatch } from './collate.ts';
import type { TensorMap } from './tensor.ts';

/** Runs one batch on the model's session, fetching `outputs`. */
export type RunBatch = (feeds: TensorMap, outputs: readonly string[]) => Promise<TensorMap>;

export interface Scheduler {
  /**
   * Runs `items` and resolves with their outputs, in order. For a model that does not batch
   * (`max_batch_size` 0) each item is the model's feeds as they are, and so are its outputs.
   */
  schedule(items: readonly TensorMap[], outputs: readonly string[]): Promise<TensorMap[]>;
}

/** Chunks of `maxBatchSize` items (1 when the model takes one at a time), collated, run, split back. */
export function directScheduler(maxBatchSize: number, run: RunBatch): Scheduler {
  return {
    async schedule(items, outputs) {
      if (maxBatchSize <= 0) {
        const results: TensorMap[] = [];
        for (const item of items) results.push(await run(item, outputs));
        return results;
      }
      const results: TensorMap[] = [];
      for (let start = 0; start < items.length; start += maxBatchSize) {
        const chunk = items.slice(start, start + maxBatchSize);
        const batch = await run(collate(chunk), outputs);
        results.push(...splitBatch(batch, chunk.length));
      }
      return results;
    },
  };
}
