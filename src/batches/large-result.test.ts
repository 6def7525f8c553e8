/**
 * @module
 * A line whose result is bigger than a Durable Object's SQLite row (2 MB) is kept whole: its result goes to R2,
 * the batch completes, the output file holds it byte for byte beside the other lines, and nothing of it is left
 * in R2 but the output file. So is a chunk whose results, each within a row, are more in all than one call to the
 * object carries (32 MiB): the biggest go to R2 until the rest fit.
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

/** 3 MB of answer for the input `big`, `size` characters for `{size}`, a short one for any other. */
async function appFetch(request: Request): Promise<Response> {
  const { input, size } = (await request.json()) as { input: string; size?: number };
  const data = input === 'big' ? 'x'.repeat(3_000_000) : size !== undefined ? 'y'.repeat(size) : input;
  return Response.json({ object: 'list', data });
}

/** Runs one chunk of these line bodies through the consumer; the settled batch, its output file's lines, R2 left. */
async function runOneChunk(bodies: readonly Record<string, unknown>[]) {
  const tenant = Tenant.of(freshTenant('lars')) as Tenant;
  const files = new FileStore(env.BATCH_FILES, tenant);
  const text = jsonl('/v1/embeddings', bodies);
  const input = await files.put('input.jsonl', 'batch', text);
  const request = { input_file_id: input.id, endpoint: '/v1/embeddings', completion_window: '24h' } as const;
  const record = newRecord(tenant, request, { ok: true, lines: [] });
  const object = env.BATCH_OBJECTS.getByName(tenant.ownedName(record.id));
  const customIds = bodies.map((_, i) => `line-${i}`);
  await object.start(record, unqueuedChunks([customIds]));
  let offset = 0;
  const lines = text.split('\n').map((line) => {
    const range = [offset, line.length] as const;
    offset += line.length + 1;
    return range;
  });
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
    10_000,
  );
  const output = await (await files.content(view?.output_file_id ?? '')).text();
  const results = output
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { custom_id: string; response: { body: { data: string } } });
  const left = await env.BATCH_FILES.list({ prefix: tenant.ownedName('') });
  const keys = left.objects.map((stored) => stored.key.slice(tenant.ownedName('').length));
  return { view, results, keys, expectedKeys: [`files/${input.id}`, `files/${view?.output_file_id}`].sort() };
}

describe('a line whose result is over 2 MB', () => {
  it('is written whole to the output file, the batch completed', async () => {
    const { view, results, keys, expectedKeys } = await runOneChunk([{ input: 'big' }, { input: 'small' }]);
    expect(view?.request_counts).toEqual({ total: 2, completed: 2, failed: 0 });
    expect(results.map((result) => result.custom_id)).toEqual(['line-0', 'line-1']);
    expect(results[0]?.response.body.data).toHaveLength(3_000_000);
    expect(results[1]?.response.body.data).toBe('small');
    expect(keys.sort()).toEqual(expectedKeys);
  });
});

describe('a chunk whose results pass what one call to the batch object carries', () => {
  // 40 results of 1 MB each: every one fits a row, but not all in one 32 MiB call; before, the record call failed
  // on every delivery until the chunk dead-lettered as `backend_unavailable`.
  it('keeps every line whole, the batch completed', async () => {
    const size = 1_000_000;
    const bodies = Array.from({ length: 40 }, (_, i) => ({ input: `n${i}`, size }));
    const { view, results, keys, expectedKeys } = await runOneChunk(bodies);
    expect(view?.request_counts).toEqual({ total: 40, completed: 40, failed: 0 });
    expect(results.map((result) => result.custom_id)).toEqual(bodies.map((_, i) => `line-${i}`));
    expect(results.every((result) => result.response.body.data.length === size)).toBe(true);
    expect(keys.sort()).toEqual(expectedKeys);
  }, 60_000);
});
