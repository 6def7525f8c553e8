import { describe, expect, it } from 'vitest';
import {
  expiredItems,
  fullBatchSize,
  nextBatch,
  paddingWaste,
  type BatchPolicy,
  type PendingItem,
} from './batch-policy.ts';

const policy: BatchPolicy = { maxBatchSize: 4, maxQueueDelayMs: 10, preferredBatchSizes: [] };
const item = (size: number, enqueuedAt = 0, deadline = Infinity): PendingItem => ({
  size,
  enqueuedAt,
  deadline,
});

describe('nextBatch', () => {
  it('is idle on an empty queue', () => {
    expect(nextBatch([], policy, 0)).toEqual({ kind: 'idle' });
  });

  it('waits for the delay while the batch is not full, then runs what there is', () => {
    const queue = [item(5, 100), item(5, 103)];
    expect(nextBatch(queue, policy, 105)).toEqual({ kind: 'wait', until: 110 });
    expect(nextBatch(queue, policy, 110)).toEqual({ kind: 'run', indices: [0, 1] });
  });

  it('runs at once when a full batch is queued, taking at most max_batch_size', () => {
    const queue = [1, 2, 3, 4, 5, 6].map((size) => item(size, 0));
    const decision = nextBatch(queue, policy, 0);
    expect(decision).toEqual({ kind: 'run', indices: [0, 1, 2, 3] });
  });

  it('runs at once when a preferred size is reached before max_batch_size', () => {
    const preferred = { ...policy, preferredBatchSizes: [2, 64] };
    expect(fullBatchSize(preferred)).toBe(2);
    expect(nextBatch([item(1), item(1)], preferred, 0)).toEqual({ kind: 'run', indices: [0, 1] });
    expect(nextBatch([item(1)], preferred, 0)).toEqual({ kind: 'wait', until: 10 });
  });

  it('shares the queue among idle instances instead of giving one instance everything', () => {
    const queue = [1, 2, 3, 4, 5, 6].map((size) => item(size, 0));
    expect(nextBatch(queue, policy, 20, { idleInstances: 2 })).toEqual({ kind: 'run', indices: [0, 1, 2] });
    expect(nextBatch(queue, policy, 20, { idleInstances: 6 })).toEqual({ kind: 'run', indices: [0] });
    // Never above max_batch_size, and an instance count below 1 counts as one.
    expect(nextBatch([...queue, ...queue], policy, 20, { idleInstances: 2 })).toMatchObject({
      indices: [0, 1, 6, 7],
    });
    expect(nextBatch(queue, policy, 20, { idleInstances: 0 })).toMatchObject({ indices: [0, 1, 2, 3] });
  });

  it('flush runs without waiting (graceful drain)', () => {
    expect(nextBatch([item(3, 0)], policy, 1, { flush: true })).toEqual({ kind: 'run', indices: [0] });
  });

  it('with no delay runs whatever is queued', () => {
    const eager = { ...policy, maxQueueDelayMs: 0 };
    expect(nextBatch([item(3, 7)], eager, 7)).toEqual({ kind: 'run', indices: [0] });
  });

  it('always takes the oldest, then the items nearest to it in size', () => {
    const sizes = [100, 5, 98, 7, 120, 101, 6];
    const decision = nextBatch(
      sizes.map((size) => item(size)),
      policy,
      20,
    );
    expect(decision).toEqual({ kind: 'run', indices: [0, 2, 4, 5] });
  });

  it('grouping by size wastes less padding than arrival order', () => {
    const sizes = [10, 120, 12, 118, 11, 119, 9, 121];
    const queue = sizes.map((size) => item(size));
    const grouped: number[][] = [];
    let rest = queue;
    while (rest.length > 0) {
      const decision = nextBatch(rest, policy, 100);
      if (decision.kind !== 'run') throw new Error('expected a run');
      grouped.push(decision.indices.map((index) => rest[index]?.size ?? 0));
      rest = rest.filter((_, index) => !decision.indices.includes(index));
    }
    const fifo = [sizes.slice(0, 4), sizes.slice(4)];
    const waste = (batches: number[][]) => batches.reduce((sum, b) => sum + paddingWaste(b), 0);
    expect(grouped).toEqual([
      [10, 12, 11, 9],
      [120, 118, 119, 121],
    ]);
    expect(waste(grouped)).toBeLessThan(waste(fifo) / 10);
  });

  it('with a padding bound, leaves out items that would pad the batch past it', () => {
    const bounded = { ...policy, maxPaddingWaste: 0.2 };
    // Oldest 100: with 95 and 90 the waste is 15 of 300 elements (5%); adding 130 would make it 105 of 520
    // (20.2%), adding 30 instead 85 of 400 (21%).
    const queue = [item(100), item(30), item(90), item(95), item(130)];
    expect(nextBatch(queue, bounded, 100)).toEqual({ kind: 'run', indices: [0, 2, 3] });
    // 130 above the oldest is fine alone with it (waste 30 of 260 = 11.5%)…
    expect(nextBatch([item(100), item(130)], bounded, 100)).toEqual({ kind: 'run', indices: [0, 1] });
    // …and with no bound everything nearest fills the batch.
    expect(nextBatch(queue, policy, 100)).toEqual({ kind: 'run', indices: [0, 2, 3, 4] });
  });

  it('the oldest item runs even when nothing is near it', () => {
    const bounded = { ...policy, maxPaddingWaste: 0 };
    expect(nextBatch([item(100), item(99), item(101)], bounded, 100)).toEqual({ kind: 'run', indices: [0] });
    expect(nextBatch([item(7), item(7), item(8)], bounded, 100)).toEqual({ kind: 'run', indices: [0, 1] });
  });

  it('with a token budget, batches short items wide and long ones narrow', () => {
    const budget = { ...policy, maxBatchSize: 8, maxBatchTokens: 100 };
    // Five of 20 pad to 100 tokens, in budget; a sixth would make 120.
    const short = [20, 20, 20, 20, 20, 20].map((size) => item(size));
    expect(nextBatch(short, budget, 100)).toEqual({ kind: 'run', indices: [0, 1, 2, 3, 4] });
    // 45, nearest to 50, pads the two to 100 (in budget); 40 as well would pad three to 150.
    expect(nextBatch([item(50), item(40), item(45)], budget, 100)).toEqual({ kind: 'run', indices: [0, 2] });
    // A longer item joins only while the batch, padded to it, stays in budget: 60 would pad three to 180.
    expect(nextBatch([item(20), item(60), item(30)], budget, 100)).toEqual({ kind: 'run', indices: [0, 2] });
  });

  it('the oldest item runs alone when it exceeds the token budget by itself', () => {
    const budget = { ...policy, maxBatchTokens: 100 };
    expect(nextBatch([item(120), item(5), item(120)], budget, 100)).toEqual({ kind: 'run', indices: [0] });
    // The rest are left for the next batch, which packs them.
    expect(nextBatch([item(5), item(120), item(6)], budget, 100)).toEqual({ kind: 'run', indices: [0, 2] });
  });

  it('the token budget and the padding share both apply', () => {
    const both = { ...policy, maxBatchTokens: 100, maxPaddingWaste: 0.1 };
    // 10 with 30 pads 20 of 60 (a third): over the share though in budget; 10 with 11 fits both.
    expect(nextBatch([item(10), item(30), item(11)], both, 100)).toEqual({ kind: 'run', indices: [0, 2] });
  });

  it('a batch of one when max_batch_size is 1 (or less)', () => {
    const one = { ...policy, maxBatchSize: 1 };
    expect(nextBatch([item(1), item(1)], one, 0)).toEqual({ kind: 'run', indices: [0] });
    expect(nextBatch([item(1), item(1)], { ...one, maxBatchSize: 0 }, 0)).toEqual({
      kind: 'run',
      indices: [0],
    });
  });

  it('ties in size go to the older item', () => {
    const queue = [item(10), item(12), item(8), item(12), item(8)];
    const two = { ...policy, maxBatchSize: 2 };
    expect(nextBatch(queue, two, 50)).toEqual({ kind: 'run', indices: [0, 1] });
  });
});

describe('expiredItems and paddingWaste', () => {
  it('finds items whose deadline has passed (at the deadline included)', () => {
    const queue = [item(1, 0, 5), item(1, 0, Infinity), item(1, 0, 9), item(1, 0, 4)];
    expect(expiredItems(queue, 5)).toEqual([0, 3]);
    expect(expiredItems(queue, 1)).toEqual([]);
  });

  it('counts padding up to the largest item', () => {
    expect(paddingWaste([])).toBe(0);
    expect(paddingWaste([3, 3])).toBe(0);
    expect(paddingWaste([1, 4, 2])).toBe(5);
  });
});
