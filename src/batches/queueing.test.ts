/**
 * @module
 * A batch's object queues its chunks itself: what the queue refuses (in part: a send of many fails after the
 * first) is sent again from the alarm, each chunk once, and the batch is answered as created meanwhile; a batch
 * cancelled before its chunks could be queued ends without waiting for deliveries that will never come.
 */
import { env } from 'cloudflare:workers';
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { poll, unqueuedChunks } from '../../test/edge/batches.ts';
import { freshTenant } from '../../test/edge/tenants.ts';
import { Tenant } from '../tenants/tenant.ts';
import type { BatchObject } from './batch-object.ts';
import type { ChunkMessage } from './chunks.ts';
import { newFileId } from './ids.ts';
import { newRecord } from './store.ts';

/** A queue that takes `accepted` sends, then refuses every send until told to take them again. */
class FlakyQueue {
  readonly sent: number[] = [];
  constructor(public accepted: number) {}

  sendBatch(messages: readonly { body: ChunkMessage }[]): Promise<void> {
    if (this.accepted <= 0) return Promise.reject(new Error('queue unavailable'));
    this.accepted -= 1;
    this.sent.push(...messages.map((message) => message.body.chunk));
    return Promise.resolve();
  }
}

/** A new batch's object, its queue replaced by `queue` for as long as the test runs. */
function objectWith(name: string, queue: FlakyQueue) {
  const tenant = Tenant.of(freshTenant(name)) as Tenant;
  const request = {
    input_file_id: newFileId(),
    endpoint: '/v1/embeddings',
    completion_window: '24h',
  } as const;
  const record = newRecord(tenant, request, { ok: true, lines: [] });
  const stub = env.BATCH_OBJECTS.getByName(tenant.ownedName(record.id));
  const withQueue = (instance: BatchObject) => {
    (instance as unknown as { env: Env }).env = { ...env, BATCH_QUEUE: queue as unknown as Queue };
  };
  return { record, stub, withQueue };
}

const ids = (count: number) => Array.from({ length: count }, (_, i) => [`line-${i}`]);

describe("a batch's chunks on the queue", () => {
  it('sends what the queue refused again from the alarm, each chunk once', async () => {
    const queue = new FlakyQueue(1);
    const { record, stub, withQueue } = objectWith('quinn', queue);
    const created = await runInDurableObject(stub, async (instance: BatchObject) => {
      withQueue(instance);
      return instance.start(record, unqueuedChunks(ids(150)));
    });
    expect(created).toMatchObject({ status: 'in_progress', request_counts: { total: 150 } });
    expect(queue.sent).toEqual(Array.from({ length: 100 }, (_, i) => i));
    const retryAt = await runInDurableObject(stub, (_, state) => state.storage.getAlarm());
    expect(retryAt).toBeLessThan((record.expires_at ?? 0) * 1000);
    queue.accepted = Infinity;
    await runDurableObjectAlarm(stub);
    await poll(
      () => Promise.resolve(queue.sent.length),
      (count) => count === 150,
    );
    expect(queue.sent).toEqual(Array.from({ length: 150 }, (_, i) => i));
    const alarm = await runInDurableObject(stub, (_, state) => state.storage.getAlarm());
    expect(alarm).toBe((record.expires_at ?? 0) * 1000);
  });

  it('ends a batch cancelled before any chunk could be queued, without waiting for deliveries', async () => {
    const queue = new FlakyQueue(0);
    const { record, stub, withQueue } = objectWith('rhea', queue);
    await runInDurableObject(stub, async (instance: BatchObject) => {
      withQueue(instance);
      await instance.start(record, unqueuedChunks(ids(3)));
    });
    expect((await stub.cancel()).ok).toBe(true);
    const ended = await poll(
      () => stub.view(),
      (view) => view?.status === 'cancelled',
      10_000,
    );
    expect(ended?.request_counts).toEqual({ total: 3, completed: 0, failed: 0 });
    expect(queue.sent).toEqual([]);
  });
});
