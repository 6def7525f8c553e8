/**
 * @module
 * An input file deleted while its batch runs: the chunk's lines not yet read fail once as `input_file_deleted`,
 * in the error file, and the message is acknowledged, not retried into the dead-letter queue (a deleted file is
 * the client's doing, and would never come back).
 */
import { createExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { poll, unqueuedChunks } from '../../test/edge/batches.ts';
import { freshTenant } from '../../test/edge/tenants.ts';
import { Tenant } from '../tenants/tenant.ts';
import type { ChunkMessage } from './chunks.ts';
import { batchConsumer } from './consumer.ts';
import { FileStore } from './files.ts';
import { newFileId } from './ids.ts';
import { newRecord } from './store.ts';

function messageOf(body: ChunkMessage) {
  const settled: string[] = [];
  const message = {
    id: 'm1',
    timestamp: new Date(),
    attempts: 1,
    body,
    ack: () => settled.push('ack'),
    retry: () => settled.push('retry'),
  };
  return { message, settled };
}

describe('a batch whose input file is deleted', () => {
  it('fails the lines not yet read, once, and does not retry them', async () => {
    const tenant = Tenant.of(freshTenant('dora')) as Tenant;
    const file = newFileId();
    const request = { input_file_id: file, endpoint: '/v1/embeddings', completion_window: '24h' } as const;
    const record = newRecord(tenant, request, { ok: true, lines: [] });
    const object = env.BATCH_OBJECTS.getByName(tenant.ownedName(record.id));
    await object.start(record, unqueuedChunks([['a', 'b']]));
    const body = {
      tenant: tenant.name,
      batch: record.id,
      file,
      chunk: 0,
      first: 0,
      lines: [
        [0, 10],
        [10, 10],
      ],
    } as const;
    const { message, settled } = messageOf(body);
    const appFetch = () => Promise.reject(new Error('no line should run: the file is gone'));
    const batch = { queue: 'modalfuse-batch', messages: [message], ackAll: () => {}, retryAll: () => {} };
    await batchConsumer(appFetch)(batch as never, env, createExecutionContext());
    expect(settled).toEqual(['ack']);
    const view = await poll(
      () => object.view(),
      (seen) => seen?.status === 'completed',
      10_000,
    );
    expect(view?.request_counts).toEqual({ total: 2, completed: 0, failed: 2 });
    const errors = await (
      await new FileStore(env.BATCH_FILES, tenant).content(view?.error_file_id ?? '')
    ).text();
    const lines = errors
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { custom_id: string; error: { code: string; message: string } });
    expect(lines.map((line) => [line.custom_id, line.error.code])).toEqual([
      ['a', 'input_file_deleted'],
      ['b', 'input_file_deleted'],
    ]);
    expect(lines[0]?.error.message).toContain(file);
  });
});
