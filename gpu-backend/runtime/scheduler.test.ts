import { describe, expect, it } from 'vitest';
import { directScheduler, type RunBatch } from './scheduler.ts';
import type { HostTensor, TensorMap } from './tensor.ts';

const row = (values: number[]): TensorMap => ({
  x: { type: 'float32', data: Float32Array.from(values), dims: [1, values.length] },
});

/** A fake session: `sum` of each row, recording every batch it runs. */
function recorder(): { run: RunBatch; batches: number[][] } {
  const batches: number[][] = [];
  const run: RunBatch = async (feeds) => {
    const x = feeds.x as HostTensor;
    batches.push([...x.dims]);
    const [rows = 0, width = 0] = x.dims;
    const data = x.data as Float32Array;
    const sums = Array.from({ length: rows }, (_, r) =>
      data.slice(r * width, (r + 1) * width).reduce((a, b) => a + b, 0),
    );
    return { sum: { type: 'float32', data: Float32Array.from(sums), dims: [rows] } };
  };
  return { run, batches };
}

describe('directScheduler', () => {
  it('runs chunks of max_batch_size, padded, and answers per item in order', async () => {
    const { run, batches } = recorder();
    const items = [row([1]), row([1, 2]), row([3]), row([4, 5, 6]), row([7])];
    const results = await directScheduler(2, [run]).schedule(items, ['sum']);
    expect(batches).toEqual([
      [2, 2],
      [2, 3],
      [1, 1],
    ]);
    expect(results.map((result) => [...(result.sum?.data as Float32Array)])).toEqual([
      [1],
      [3],
      [3],
      [15],
      [7],
    ]);
  });

  it('runs a non-batching model’s items one by one, as given', async () => {
    const { run, batches } = recorder();
    const feeds = {
      x: { type: 'float32', data: Float32Array.from([1, 2, 3, 4]), dims: [2, 2] },
    } as TensorMap;
    const [result] = await directScheduler(0, [run]).schedule([feeds], ['sum']);
    expect(batches).toEqual([[2, 2]]);
    expect(result?.sum?.dims).toEqual([2]);
  });

  it('refuses a request whose signal is already aborted with 499 and runs nothing; a live signal runs', async () => {
    const { run, batches } = recorder();
    const scheduler = directScheduler(2, [run]);
    const refused = scheduler.schedule([row([1])], ['sum'], { signal: AbortSignal.abort() });
    await expect(refused).rejects.toMatchObject({ status: 499 });
    expect(batches).toEqual([]);
    const [result] = await scheduler.schedule([row([2])], ['sum'], { signal: new AbortController().signal });
    expect([...(result?.sum?.data as Float32Array)]).toEqual([2]);
  });
});
