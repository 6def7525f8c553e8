/**
 * @module
 * A model's counters, in the units Triton's metrics use (requests, inferences = items, executions = runs,
 * cumulative microseconds), plus a histogram of batch sizes. The schedulers and the model write them; the
 * `/metrics` route reads them.
 */

/** Upper bounds of the batch-size histogram buckets (Prometheus `le`), `+Inf` implied. */
export const BATCH_SIZE_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128] as const;

/** What a scheduler reports as it runs. */
export interface BatchObserver {
  /** One session run of `size` items that took `computeUs`; a failed run (`ok` false) infers nothing. */
  executed(size: number, computeUs: number, ok: boolean): void;
  /** One item left the queue after `queueUs`. */
  dequeued(queueUs: number): void;
  /** `items` left the queue unrun: their request was cancelled. */
  cancelled(items: number): void;
}

export class ModelStats implements BatchObserver {
  requestSuccess = 0;
  requestFailure = 0;
  /** Items inferred (Triton's `nv_inference_count`). */
  inferenceCount = 0;
  /** Session runs (Triton's `nv_inference_exec_count`). */
  execCount = 0;
  queueUs = 0;
  computeUs = 0;
  /** Items dropped from the queue, never run, because their request was cancelled. */
  cancelledCount = 0;
  /** Cumulative counts per bucket of {@link BATCH_SIZE_BUCKETS}, then the `+Inf` bucket. */
  readonly batchSizeBuckets: number[] = new Array<number>(BATCH_SIZE_BUCKETS.length + 1).fill(0);
  batchSizeSum = 0;

  executed(size: number, computeUs: number, ok: boolean): void {
    this.execCount++;
    if (ok) this.inferenceCount += size;
    this.computeUs += computeUs;
    this.batchSizeSum += size;
    BATCH_SIZE_BUCKETS.forEach((bound, index) => {
      if (size <= bound) this.batchSizeBuckets[index] = (this.batchSizeBuckets[index] ?? 0) + 1;
    });
    const last = BATCH_SIZE_BUCKETS.length;
    this.batchSizeBuckets[last] = (this.batchSizeBuckets[last] ?? 0) + 1;
  }

  dequeued(queueUs: number): void {
    this.queueUs += queueUs;
  }

  cancelled(items: number): void {
    this.cancelledCount += items;
  }

  /** One request answered (`ok`) or failed. */
  request(ok: boolean): void {
    if (ok) this.requestSuccess++;
    else this.requestFailure++;
  }
}
