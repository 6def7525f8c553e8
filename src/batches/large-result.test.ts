/**
 * @module
 * A line whose result is bigger than a Durable Object's SQLite row (2 MB) is kept whole: its result goes to R2,
 * the batch completes, the output file holds it byte for byte beside the other lines, and nothing of it is left
 * in R2 but the output file.
 */
import { createExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { jsonl, poll, unqueuedChunks } from '../../test/edge/batches.ts';
import { freshTenant } from '../../test/edge/tenants.ts';
import { Tenant } from '../tenants/tenant.ts';
import { batchConsumer } from './consumer.ts';
import { FileStore } from './files.ts';
import { newRecord } from './store.ts';

/** 3 MB of answer for the input `big`, a short one for any other. */
async function appFetch(request: Request): Promise<Response> {
  const { input } = (await request.json()) as { input: string };
  const body = { object: 'list', data: input === 'big' ? 'x'.repeat(3_000_000) : input };
  return Response.json(body);
}

describe('a line whose result is over 2 MB', () => {
  it('is written whole to the output file, the batch completed', async () => {
    const tenant = Tenant.of(freshTenant('lars')) as Tenant;
    const files = new FileStore(env.BATCH_FILES, tenant);
    const text = jsonl('/v1/embeddings', [{ input: 'big' }, { input: 'small' }]);
    const input = await files.put('input.jsonl', 'batch', text);
    const [first = ''] = text.split('\n');
    const request = {
      input_file_id: input.id,
      endpoint: '/v1/embeddings',
      completion_window: '24h',
    } as const;
    const record = newRecord(tenant, request, { ok: true, lines: [] });
    const object = env.BATCH_OBJECTS.getByName(tenant.ownedName(record.id));
    await object.start(record, unqueuedChunks([['line-0', 'line-1']]));
    const lines = [
      [0, first.length],
      [first.length + 1, text.length - first.length - 1],
    ] as const;
    const body = { tenant: tenant.name, batch: record.id, file: input.id, chunk: 0, first: 0, lines };
    const settled: string[] = [];
    const message = {
      id: 'm1',
      timestamp: new Date(),
      attempts: 1,
      body,
      ack: () => settled.push('ack'),
      retry: () => settled.push('retry'),
    };
    const batch = { queue: 'modalfuse-batch', messages: [message], ackAll: () => {}, retryAll: () => {} };
    await batchConsumer(appFetch)(batch as never, env, createExecutionContext());
    expect(settled).toEqual(['ack']);
    const view = await poll(
      () => object.view(),
      (seen) => seen?.status === 'completed',
      4_000,
    );
    expect(view?.request_counts).toEqual({ total: 2, completed: 2, failed: 0 });
    const output = await (await files.content(view?.output_file_id ?? '')).text();
    const results = output
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { custom_id: string; response: { body: { data: string } } });
    expect(results.map((result) => result.custom_id)).toEqual(['line-0', 'line-1']);
    expect(results[0]?.response.body.data).toHaveLength(3_000_000);
    expect(results[1]?.response.body.data).toBe('small');
    const left = await env.BATCH_FILES.list({ prefix: tenant.ownedName('') });
    const keys = left.objects.map((stored) => stored.key.slice(tenant.ownedName('').length));
    expect(keys.sort()).toEqual([`files/${input.id}`, `files/${view?.output_file_id}`].sort());
  });
});
