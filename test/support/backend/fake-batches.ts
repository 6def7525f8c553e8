/**
 * @module
 * Test support for the dynamic batcher without a session: one-row items, a fake runner that sums each row (and
 * records the batch sizes it ran), a batcher with test-sized settings, and a gate a runner can wait on.
 */
import { DynamicBatcher, type BatcherOptions } from '../../../gpu-backend/runtime/batcher.ts';
import type { RunBatch } from '../../../gpu-backend/runtime/scheduler.ts';
import type { HostTensor, TensorMap } from '../../../gpu-backend/runtime/tensor.ts';

/** One item: input `x` holding one row of `values`. */
export const row = (...values: number[]): TensorMap => ({
  x: { type: 'float32', data: Float32Array.from(values), dims: [1, values.length] },
});

/** The `sum` a {@link summer} answered for one item. */
export const sumOf = (result: TensorMap): number => (result.sum?.data as Float32Array)[0] ?? NaN;

/** A fake session summing each row; a row holding -1 makes the whole batch fail. Records batch sizes. */
export function summer(gate?: Promise<void>): { run: RunBatch; batches: number[] } {
  const batches: number[] = [];
  const run: RunBatch = async (feeds) => {
    const x = feeds.x as HostTensor;
    const [rows = 0, width = 0] = x.dims;
    batches.push(rows);
    await gate;
    const data = x.data as Float32Array;
    if (data.includes(-1)) throw new Error('bad row');
    const sums = Array.from({ length: rows }, (_, r) =>
      data.slice(r * width, (r + 1) * width).reduce((a, b) => a + b, 0),
    );
    return { sum: { type: 'float32', data: Float32Array.from(sums), dims: [rows] } };
  };
  return { run, batches };
}

/** Batches of up to 4 after a 5 ms delay, a queue of 100, no default deadline, unless `overrides` say else. */
export function batcher(runners: RunBatch[], overrides: Partial<BatcherOptions> = {}): DynamicBatcher {
  return new DynamicBatcher({
    policy: { maxBatchSize: 4, maxQueueDelayMs: 5, preferredBatchSizes: [] },
    maxQueueSize: 100,
    defaultTimeoutUs: 0,
    runners,
    ...overrides,
  });
}

/** A promise that resolves when `open` is called. */
export function deferred(): { promise: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}
