import { describe, expect, it } from 'vitest';
import { batcher, deferred, row, sumOf, summer } from '../../test/support/backend/fake-batches.ts';
import { isStatusError } from './errors.ts';
import type { RunBatch } from './scheduler.ts';
import { ModelStats } from './stats.ts';
import type { HostTensor, TensorMap } from './tensor.ts';

describe('DynamicBatcher', () => {
  it('merges concurrent requests into one padded batch and answers each in order', async () => {
    const { run, batches } = summer();
    const b = batcher([run]);
    const results = await Promise.all([
      b.schedule([row(1)], ['sum']),
      b.schedule([row(2, 3)], ['sum']),
      b.schedule([row(4, 5, 6)], ['sum']),
    ]);
    expect(batches).toEqual([3]);
    expect(results.map((items) => items.map(sumOf))).toEqual([[1], [5], [15]]);
  });

  it('counts an item by its largest input against max_batch_tokens', async () => {
    const { run, batches } = summer();
    const policy = { maxBatchSize: 4, maxQueueDelayMs: 5, preferredBatchSizes: [], maxBatchTokens: 6 };
    const b = batcher([run], { policy });
    // Two inputs of 3 elements each: an item is 3 tokens (not 6), so two share a batch and the third waits.
    const pair = (...values: number[]): TensorMap => ({
      ...row(...values),
      y: row(...values).x as HostTensor,
    });
    const results = await Promise.all([1, 2, 3].map((n) => b.schedule([pair(n, n, n)], ['sum'])));
    expect(batches).toEqual([2, 1]);
    expect(results.map((items) => items.map(sumOf))).toEqual([[3], [6], [9]]);
  });

  it('splits a request larger than max_batch_size over several runs', async () => {
    const { run, batches } = summer();
    const items = Array.from({ length: 10 }, (_, i) => row(i));
    const results = await batcher([run]).schedule(items, ['sum']);
    expect(batches).toEqual([4, 4, 2]);
    expect(results.map(sumOf)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('refuses a request that does not fit the queue with 503 + Retry-After; accepted ones all answer', async () => {
    const gate = deferred();
    const { run } = summer(gate.promise);
    const b = batcher([run], {
      maxQueueSize: 3,
      policy: { maxBatchSize: 2, maxQueueDelayMs: 0, preferredBatchSizes: [] },
    });
    const first = b.schedule([row(1), row(2)], ['sum']); // runs at once, holding the only runner
    const queued = b.schedule([row(3), row(4), row(5)], ['sum']);
    const refused = b.schedule([row(6)], ['sum']).catch((error: unknown) => error);
    expect(b.depth()).toBe(3);
    const error = await refused;
    expect(isStatusError(error) && error.status === 503 && error.retryAfterSeconds).toBe(1);
    gate.open();
    expect((await first).map(sumOf)).toEqual([1, 2]);
    expect((await queued).map(sumOf)).toEqual([3, 4, 5]);
  });

  it('admits a request larger than the queue into an empty queue', async () => {
    const { run } = summer();
    const b = batcher([run], { maxQueueSize: 2 });
    expect((await b.schedule([row(1), row(2), row(3)], ['sum'])).map(sumOf)).toEqual([1, 2, 3]);
  });

  it('answers 503 to an item whose deadline passes in the queue, and never runs it', async () => {
    const gate = deferred();
    const { run, batches } = summer(gate.promise);
    const b = batcher([run], { policy: { maxBatchSize: 1, maxQueueDelayMs: 0, preferredBatchSizes: [] } });
    const busy = b.schedule([row(1)], ['sum']);
    const late = b.schedule([row(2)], ['sum'], { timeoutUs: 2_000 }).catch((error: unknown) => error);
    const error = await late;
    expect(isStatusError(error) && error.status).toBe(503);
    expect((error as Error).message).toMatch(/timed out after \d+ µs in the queue/);
    gate.open();
    await busy;
    expect(batches).toEqual([1]);
  });

  it('applies the default timeout when the request sets none', async () => {
    const { run, batches } = summer();
    const b = batcher([run], {
      defaultTimeoutUs: 1_000,
      policy: { maxBatchSize: 4, maxQueueDelayMs: 50, preferredBatchSizes: [] },
    });
    await expect(b.schedule([row(1)], ['sum'])).rejects.toThrow(/timed out/);
    expect(batches).toEqual([]);
  });

  it('a failing item fails alone: the rest of its batch answers and the batcher keeps serving', async () => {
    const { run, batches } = summer();
    const b = batcher([run]);
    const [good, bad, other] = await Promise.allSettled([
      b.schedule([row(1)], ['sum']),
      b.schedule([row(-1)], ['sum']),
      b.schedule([row(2)], ['sum']),
    ]);
    expect(good).toMatchObject({ status: 'fulfilled', value: [expect.anything()] });
    expect(bad).toMatchObject({ status: 'rejected', reason: new Error('bad row') });
    expect(other.status).toBe('fulfilled');
    expect(batches).toEqual([3, 1, 1, 1]);
    expect((await b.schedule([row(7)], ['sum'])).map(sumOf)).toEqual([7]);
  });

  it('splits what the delay gathered between idle instances', async () => {
    const one = summer();
    const two = summer();
    const b = batcher([one.run, two.run], {
      policy: { maxBatchSize: 8, maxQueueDelayMs: 5, preferredBatchSizes: [] },
    });
    const results = await Promise.all([1, 2, 3, 4].map((v) => b.schedule([row(v)], ['sum'])));
    expect(results.flat().map(sumOf)).toEqual([1, 2, 3, 4]);
    expect([...one.batches, ...two.batches]).toEqual([2, 2]);
  });

  it('runs batches on every free instance at once', async () => {
    const gate = deferred();
    const one = summer(gate.promise);
    const two = summer(gate.promise);
    const b = batcher([one.run, two.run], {
      policy: { maxBatchSize: 2, maxQueueDelayMs: 0, preferredBatchSizes: [] },
    });
    const all = Promise.all([1, 2, 3].map((v) => b.schedule([row(v)], ['sum'])));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(one.batches.length + two.batches.length).toBe(2);
    gate.open();
    expect((await all).flat().map(sumOf)).toEqual([1, 2, 3]);
  });

  it('with prefetch, an instance holds a second, complete batch while it runs one', async () => {
    const gate = deferred();
    const { run, batches } = summer(gate.promise);
    const b = batcher([run], {
      prefetch: 1,
      policy: { maxBatchSize: 2, maxQueueDelayMs: 0, preferredBatchSizes: [] },
    });
    const all = Promise.all([1, 2, 3, 4].map((v) => b.schedule([row(v)], ['sum'])));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(batches).toEqual([1, 2]);
    expect(b.depth()).toBe(1);
    gate.open();
    expect((await all).flat().map(sumOf)).toEqual([1, 2, 3, 4]);
    expect(batches).toEqual([1, 2, 1]);
  });

  it('keeps an incomplete batch queued while its instance is busy, so later arrivals join it', async () => {
    const gate = deferred();
    const { run, batches } = summer(gate.promise);
    const b = batcher([run], {
      prefetch: 1,
      policy: { maxBatchSize: 4, maxQueueDelayMs: 0, preferredBatchSizes: [] },
    });
    const first = b.schedule([row(1)], ['sum']);
    await new Promise((resolve) => setTimeout(resolve, 2));
    const later = [b.schedule([row(2)], ['sum'])];
    await new Promise((resolve) => setTimeout(resolve, 2));
    later.push(b.schedule([row(3)], ['sum']));
    await new Promise((resolve) => setTimeout(resolve, 2));
    expect(batches).toEqual([1]);
    expect(b.depth()).toBe(2);
    gate.open();
    expect([await first, ...(await Promise.all(later))].flat().map(sumOf)).toEqual([1, 2, 3]);
    expect(batches).toEqual([1, 2]);
  });

  it('hands a batch cut short by the token budget to a busy instance', async () => {
    const gate = deferred();
    const { run, batches } = summer(gate.promise);
    const b = batcher([run], {
      prefetch: 1,
      policy: { maxBatchSize: 4, maxQueueDelayMs: 0, preferredBatchSizes: [], maxBatchTokens: 4 },
    });
    const wide = (v: number) =>
      ({ x: { type: 'float32', data: Float32Array.from([v, 0, 0, 0]), dims: [1, 4] } }) as const;
    const all = Promise.all([1, 2, 3].map((v) => b.schedule([wide(v)], ['sum'])));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(batches).toEqual([1, 1]);
    gate.open();
    expect((await all).flat().map(sumOf)).toEqual([1, 2, 3]);
    expect(batches).toEqual([1, 1, 1]);
  });

  it('flush runs queued items without waiting for the delay', async () => {
    const { run, batches } = summer();
    const b = batcher([run], {
      policy: { maxBatchSize: 8, maxQueueDelayMs: 60_000, preferredBatchSizes: [] },
    });
    const pending = b.schedule([row(1), row(2)], ['sum']);
    expect(b.depth()).toBe(2);
    b.flush();
    expect((await pending).map(sumOf)).toEqual([1, 2]);
    expect(batches).toEqual([2]);
  });

  it('reports runs, items and queue time to its observer', async () => {
    const { run } = summer();
    const stats = new ModelStats();
    const b = batcher([run], { observer: stats });
    await Promise.all([b.schedule([row(1)], ['sum']), b.schedule([row(2), row(3)], ['sum'])]);
    expect(stats).toMatchObject({ execCount: 1, inferenceCount: 3, batchSizeSum: 3 });
    expect(stats.batchSizeBuckets).toEqual([0, 0, 1, 1, 1, 1, 1, 1, 1]);
    expect(stats.queueUs).toBeGreaterThan(0);
  });

  it('counts the compute time a session reports, not the wait for its answer', async () => {
    const gate = deferred();
    const { run } = summer(gate.promise);
    const reporting: RunBatch = async (feeds, outputs, owned, timing) => {
      const result = await run(feeds, outputs, owned);
      if (timing) timing.computeUs = 500;
      return result;
    };
    const stats = new ModelStats();
    const b = batcher([reporting], {
      observer: stats,
      policy: { maxBatchSize: 1, maxQueueDelayMs: 0, preferredBatchSizes: [] },
    });
    const pending = Promise.all([b.schedule([row(1)], ['sum']), b.schedule([row(2)], ['sum'])]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    gate.open();
    await pending;
    expect(stats).toMatchObject({ execCount: 2, computeUs: 1000 });
  });

  it('times a session that reports nothing from call to answer', async () => {
    const gate = deferred();
    const { run } = summer(gate.promise);
    let calledAt = 0;
    const silent: RunBatch = (feeds, outputs) => {
      calledAt = performance.now();
      return run(feeds, outputs);
    };
    const stats = new ModelStats();
    const b = batcher([silent], { observer: stats });
    const pending = b.schedule([row(1)], ['sum']);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const openedAt = performance.now();
    gate.open();
    await pending;
    expect(calledAt).toBeGreaterThan(0);
    expect(stats.computeUs).toBeGreaterThanOrEqual((openedAt - calledAt) * 1000);
  });

  it('needs a runner', () => {
    expect(() => batcher([])).toThrow(/at least one runner/);
  });
});
