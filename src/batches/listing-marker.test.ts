/**
 * @module
 * A batch is never left unlisted by a failure between its object and its list marker: the marker is written
 * first, so a refused marker fails the create before any batch exists, and a batch that fails to start after its
 * marker leaves a marker the list skips.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { jsonl } from '../../test/edge/batches.ts';
import { freshTenant } from '../../test/edge/tenants.ts';
import { Tenant } from '../tenants/tenant.ts';
import { FileStore } from './files.ts';
import { defaultBatchLimits } from './limits.ts';
import { BatchStore, type BatchBindings } from './store.ts';

interface Faults {
  markerFails: boolean;
  startFails: boolean;
  starts: number;
}

/** The bindings, with a marker write or a batch's start refused while `faults` says so. */
function bindingsWith(faults: Faults): BatchBindings {
  const bucket = new Proxy(env.BATCH_FILES, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (property === 'put')
        return (key: string, ...rest: unknown[]) =>
          faults.markerFails && key.includes('/batches/')
            ? Promise.reject(new Error('R2 unavailable'))
            : (target.put as (...args: unknown[]) => unknown)(key, ...rest);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const objects = {
    getByName: (name: string) => {
      const stub = env.BATCH_OBJECTS.getByName(name);
      return new Proxy(stub, {
        get(target, property) {
          if (property !== 'start') return Reflect.get(target, property, target) as unknown;
          faults.starts += 1;
          if (faults.startFails) return () => Promise.reject(new Error('object unavailable'));
          return Reflect.get(target, property, target) as unknown;
        },
      });
    },
  };
  return { BATCH_FILES: bucket, BATCH_QUEUE: env.BATCH_QUEUE, BATCH_OBJECTS: objects as never };
}

async function setUp(name: string) {
  const tenant = Tenant.of(freshTenant(name)) as Tenant;
  const files = new FileStore(env.BATCH_FILES, tenant);
  const input = await files.put('in.jsonl', 'batch', jsonl('/v1/embeddings', [{ input: 'a', model: 'm' }]));
  const faults: Faults = { markerFails: false, startFails: false, starts: 0 };
  const store = new BatchStore(bindingsWith(faults), tenant, files, defaultBatchLimits);
  const request = { input_file_id: input.id, endpoint: '/v1/embeddings', completion_window: '24h' } as const;
  return { store, faults, create: () => store.create(request) };
}

describe("a batch's list marker", () => {
  it('refused: the create fails before any batch exists', async () => {
    const { store, faults, create } = await setUp('mira');
    faults.markerFails = true;
    await expect(create()).rejects.toThrow('R2 unavailable');
    expect(faults.starts).toBe(0);
    faults.markerFails = false;
    const batch = await create();
    expect((await store.list(10)).data.map((listed) => listed.id)).toEqual([batch.id]);
  });

  it('written, its batch failing to start: the list skips it', async () => {
    const { store, faults, create } = await setUp('nico');
    faults.startFails = true;
    await expect(create()).rejects.toThrow('object unavailable');
    expect(await store.list(10)).toEqual({ data: [], hasMore: false });
  });
});
