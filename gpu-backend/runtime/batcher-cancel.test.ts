/**
 * Cancellation in the dynamic batcher: an aborted request's queued items are dropped unrun and it answers 499,
 * while items already handed to an instance, and every other request, carry on.
 */
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { batcher, deferred, row, sumOf, summer } from '../../test/support/backend/fake-batches.ts';
import { isStatusError } from './errors.ts';
import { ModelStats } from './stats.ts';

/** The 499 a cancelled request rejects with (its status, else the error itself, so a mismatch shows it). */
const statusOf = (error: unknown) => (isStatusError(error) ? error.status : error);
const abortListeners = (signal: AbortSignal) => getEventListeners(signal, 'abort').length;
/** Holds the queue: nothing runs until `flush` or 60 s. */
const holding = { policy: { maxBatchSize: 4, maxQueueDelayMs: 60_000, preferredBatchSizes: [] } };

describe('DynamicBatcher cancellation', () => {
  it('an abort while queued drops the request’s items unrun, answers 499 and counts them', async () => {
    const { run, batches } = summer();
    const stats = new ModelStats();
    const b = batcher([run], { ...holding, observer: stats });
    const controller = new AbortController();
    const pending = b.schedule([row(1), row(2)], ['sum'], { signal: controller.signal });
    expect(b.depth()).toBe(2);
    controller.abort('client closed the connection');
    const error = await pending.catch((reason: unknown) => reason);
    expect(statusOf(error)).toBe(499);
    expect((error as Error).message).toMatch(/cancelled by its client/);
    expect(b.depth()).toBe(0);
    b.flush();
    expect(batches).toEqual([]);
    expect(stats).toMatchObject({ cancelledCount: 2, execCount: 0, inferenceCount: 0 });
  });

  it('other requests in the same queue are unaffected: they batch without the dropped items', async () => {
    const { run, batches } = summer();
    const b = batcher([run], { policy: { maxBatchSize: 8, maxQueueDelayMs: 5, preferredBatchSizes: [] } });
    const controller = new AbortController();
    const before = b.schedule([row(1)], ['sum']);
    const cancelled = b.schedule([row(2), row(3)], ['sum'], { signal: controller.signal });
    const after = b.schedule([row(4), row(5)], ['sum'], { signal: new AbortController().signal });
    controller.abort();
    await expect(cancelled).rejects.toMatchObject({ status: 499 });
    expect((await before).map(sumOf)).toEqual([1]);
    expect((await after).map(sumOf)).toEqual([4, 5]);
    expect(batches).toEqual([3]);
  });

  it('an abort after dispatch answers 499 at once and leaves the batch to finish for its other requests', async () => {
    const gate = deferred();
    const { run, batches } = summer(gate.promise);
    const stats = new ModelStats();
    const b = batcher([run], { observer: stats });
    const controller = new AbortController();
    const cancelled = b.schedule([row(1)], ['sum'], { signal: controller.signal });
    const other = b.schedule([row(2)], ['sum']);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(batches).toEqual([2]);
    controller.abort();
    await expect(cancelled).rejects.toMatchObject({ status: 499 });
    gate.open();
    expect((await other).map(sumOf)).toEqual([2]);
    expect(stats).toMatchObject({ cancelledCount: 0, execCount: 1, inferenceCount: 2 });
  });

  it('of a request split over batches, drops only the items still queued', async () => {
    const gate = deferred();
    const { run, batches } = summer(gate.promise);
    const stats = new ModelStats();
    const b = batcher([run], { observer: stats });
    const controller = new AbortController();
    const pending = b.schedule(
      [1, 2, 3, 4, 5].map((v) => row(v)),
      ['sum'],
      { signal: controller.signal },
    );
    expect(batches).toEqual([4]);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ status: 499 });
    gate.open();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(batches).toEqual([4]);
    expect(stats).toMatchObject({ cancelledCount: 1, inferenceCount: 4 });
  });

  it('refuses a request whose signal is already aborted without queueing it', async () => {
    const { run, batches } = summer();
    const stats = new ModelStats();
    const b = batcher([run], { observer: stats });
    const signal = AbortSignal.abort();
    await expect(b.schedule([row(1)], ['sum'], { signal })).rejects.toMatchObject({
      status: 499,
      message: expect.stringMatching(/cancelled before it was queued/),
    });
    expect(b.depth()).toBe(0);
    expect(abortListeners(signal)).toBe(0);
    b.flush();
    expect(batches).toEqual([]);
    // Nothing was dropped from the queue: the counter is for items that waited there.
    expect(stats.cancelledCount).toBe(0);
  });

  it('removes its abort listener once the request settles, answered, failed or cancelled', async () => {
    const { run } = summer();
    const b = batcher([run]);
    const signal = new AbortController().signal;
    const answered = b.schedule([row(1)], ['sum'], { signal });
    const failed = b.schedule([row(-1)], ['sum'], { signal }).catch(() => 'failed');
    expect(abortListeners(signal)).toBe(2);
    await Promise.all([answered, failed]);
    expect(abortListeners(signal)).toBe(0);
    const controller = new AbortController();
    const cancelled = b.schedule([row(1)], ['sum'], { signal: controller.signal }).catch(() => 'cancelled');
    controller.abort();
    expect(await cancelled).toBe('cancelled');
    expect(abortListeners(controller.signal)).toBe(0);
  });
});
