/**
 * @module
 * A finalization that fails part way (the output file written, the error file refused) is retried by the alarm
 * and writes the same files again under the same ids: the batch completes with one output and one error file, and
 * no file of an earlier attempt is left in R2 unlinked.
 */
import { env } from 'cloudflare:workers';
import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { poll, unqueuedChunks } from '../../test/edge/batches.ts';
import { freshTenant } from '../../test/edge/tenants.ts';
import { Tenant } from '../tenants/tenant.ts';
import type { BatchObject } from './batch-object.ts';
import { newFileId } from './ids.ts';
import { newRecord } from './store.ts';

/** The bucket, but its first put whose key `fails` picks is refused. */
function bucketFailingOnce(fails: (key: string) => boolean): R2Bucket {
  let failed = false;
  return new Proxy(env.BATCH_FILES, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (property !== 'put') return typeof value === 'function' ? value.bind(target) : value;
      return (key: string, ...rest: Parameters<R2Bucket['put']> extends [string, ...infer R] ? R : never) => {
        if (!failed && fails(key)) {
          failed = true;
          return Promise.reject(new Error('R2 unavailable'));
        }
        return target.put(key, ...rest);
      };
    },
  });
}

describe('a finalization that fails part way', () => {
  it('is retried into one output file and one error file, no orphan left', async () => {
    const tenant = Tenant.of(freshTenant('fay')) as Tenant;
    const request = {
      input_file_id: newFileId(),
      endpoint: '/v1/embeddings',
      completion_window: '24h',
    } as const;
    const record = newRecord(tenant, request, { ok: true, lines: [] });
    const stub = env.BATCH_OBJECTS.getByName(tenant.ownedName(record.id));
    let puts = 0;
    const bucket = bucketFailingOnce(() => ++puts === 2);
    await runInDurableObject(stub, async (instance: BatchObject) => {
      (instance as unknown as { env: Env }).env = { ...env, BATCH_FILES: bucket };
      await instance.start(record, unqueuedChunks([['a', 'b']]));
      await instance.record(
        0,
        [
          { line: 0, outcome: 'output', text: '"a done"' },
          { line: 1, outcome: 'error', text: '"b failed"' },
        ],
        true,
      );
    });
    const view = await poll(
      () => stub.view(),
      (seen) => seen?.status === 'completed',
      4_000,
    );
    // The retry may run on a fresh instance, with the real bucket.
    expect(puts).toBeGreaterThanOrEqual(2);
    const listed = await env.BATCH_FILES.list({ prefix: tenant.ownedName('files/') });
    const stored = listed.objects.map((object) => object.key.slice(tenant.ownedName('files/').length));
    expect(stored.sort()).toEqual([view?.output_file_id, view?.error_file_id].sort());
  });
});
