/**
 * @module
 * A batch left by a crash without its alarm (the state written, the alarm not: simulated by deleting it) is not
 * stuck: the next read of it sets the alarm again, which queues its unsent chunks.
 */
import { env } from 'cloudflare:workers';
import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { poll, unqueuedChunks } from '../../test/edge/batches.ts';
import { freshTenant } from '../../test/edge/tenants.ts';
import { Tenant } from '../tenants/tenant.ts';
import type { BatchObject } from './batch-object.ts';
import type { ChunkMessage } from './chunks.ts';
import { newFileId } from './ids.ts';
import { newRecord } from './store.ts';

/** A queue that refuses every send while `down`. */
class SwitchedQueue {
  readonly sent: number[] = [];
  down = true;

  sendBatch(messages: readonly { body: ChunkMessage }[]): Promise<void> {
    if (this.down) return Promise.reject(new Error('queue unavailable'));
    this.sent.push(...messages.map((message) => message.body.chunk));
    return Promise.resolve();
  }
}

describe('a batch whose alarm was lost', () => {
  it('has it set again by the next read, and its chunks are queued', async () => {
    const tenant = Tenant.of(freshTenant('hal')) as Tenant;
    const request = {
      input_file_id: newFileId(),
      endpoint: '/v1/embeddings',
      completion_window: '24h',
    } as const;
    const record = newRecord(tenant, request, { ok: true, lines: [] });
    const stub = env.BATCH_OBJECTS.getByName(tenant.ownedName(record.id));
    const queue = new SwitchedQueue();
    await runInDurableObject(stub, async (instance: BatchObject, state) => {
      (instance as unknown as { env: Env }).env = { ...env, BATCH_QUEUE: queue as unknown as Queue };
      await instance.start(record, unqueuedChunks([['a'], ['b']]));
      await state.storage.deleteAlarm();
    });
    expect(await runInDurableObject(stub, (_, state) => state.storage.getAlarm())).toBeNull();
    queue.down = false;
    expect((await stub.view())?.status).toBe('in_progress');
    await poll(
      () => Promise.resolve(queue.sent.length),
      (count) => count === 2,
      4_000,
    );
    expect(queue.sent).toEqual([0, 1]);
  });
});
