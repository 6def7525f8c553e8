/**
 * @module
 * A batch that runs out of its completion window: the object's alarm at `expires_at` ends it `expired`, the lines
 * that had results kept, every other one in the error file as `batch_expired`, each once.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { poll, unqueuedChunks } from '../../test/edge/batches.ts';
import { freshTenant } from '../../test/edge/tenants.ts';
import { Tenant } from '../tenants/tenant.ts';
import { FileStore } from './files.ts';
import { newFileId } from './ids.ts';
import { nowSeconds } from './record.ts';
import { newRecord } from './store.ts';

describe('expiry', () => {
  it('ends a batch past its window expired, its unfinished lines in the error file', async () => {
    const tenant = Tenant.of(freshTenant('erin')) as Tenant;
    const request = {
      input_file_id: newFileId(),
      endpoint: '/v1/embeddings',
      completion_window: '24h',
    } as const;
    const record = { ...newRecord(tenant, request, { ok: true, lines: [] }), expires_at: nowSeconds() + 1 };
    const object = env.BATCH_OBJECTS.getByName(tenant.ownedName(record.id));
    await object.start(record, unqueuedChunks([['a', 'b'], ['c']]));
    await object.record(0, [{ line: 0, outcome: 'output', text: '"a done"' }], false);
    const ended = await poll(
      () => object.view(),
      (view) => view?.status === 'expired',
      10_000,
    );
    expect(ended?.request_counts).toEqual({ total: 3, completed: 1, failed: 2 });
    expect(ended?.expired_at).toEqual(expect.any(Number));
    const files = new FileStore(env.BATCH_FILES, tenant);
    const text = async (id: string | null | undefined) => (await files.content(id ?? '')).text();
    expect(await text(ended?.output_file_id)).toBe('"a done"\n');
    const errors = (await text(ended?.error_file_id))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as never);
    expect(
      errors.map(({ custom_id, response, error }) => [custom_id, response, (error as { code: string }).code]),
    ).toEqual([
      ['b', null, 'batch_expired'],
      ['c', null, 'batch_expired'],
    ]);
  });
});
