/**
 * @module
 * The edge's heads cache inside workerd, against the tasks' real Durable Objects: the object sends the version
 * alone when the edge holds the current heads, and the heads as typed arrays (no stored examples) when not; a write
 * acknowledged to its writer is seen by the very next read; two tenants' same-id tasks never share an entry; the
 * bounds in entries and bytes hold, least recently used first.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { prototypeHead } from '../../test/edge/colour-task.ts';
import { createTaughtTask } from '../../test/edge/tasks.ts';
import { publicTenant, Tenant } from '../tenants/tenant.ts';
import { HeadsCache } from './heads-cache.ts';
import type { HeadsAnswer } from './heads-wire.ts';
import { TaskStore } from './store.ts';

const models = (task: { modalities: Record<string, { model: string }> }) =>
  Object.fromEntries(Object.entries(task.modalities).map(([name, head]) => [name, head.model]));

const redExample = [{ modality: 'text', index: 0, label: 'red', embedding: [1, 0, 0.2, 0] }];

describe('the task object on the wire', () => {
  it('sends the version alone when the edge holds it, else the heads as Float32Arrays without stored examples', async () => {
    const task = await createTaughtTask('wire', ['text']);
    const object = env.TASK_OBJECTS.getByName('wire');
    const current = (await object.heads(task.version)) as HeadsAnswer;
    expect(current).toEqual({ version: task.version });
    const fresh = (await object.heads(task.version - 1)) as HeadsAnswer;
    const text = fresh.task?.modalities.text;
    expect(fresh.version).toBe(task.version);
    expect(text?.prototype.sums.red).toBeInstanceOf(Float32Array);
    expect(Array.from(text?.prototype.sums.red ?? [])).toHaveLength(4);
    expect(Object.keys(text ?? {})).not.toContain('stored');
    expect(Object.keys(fresh.task ?? {}).sort()).toEqual(['fusion', 'id', 'labels', 'modalities', 'version']);
  });
});

describe('TaskStore.classifyHeads', () => {
  it('builds the heads once per version, and the next read after a write gets the new version', async () => {
    const cache = new HeadsCache();
    const store = new TaskStore(env, publicTenant, cache);
    const task = await createTaughtTask('cached', ['text']);
    const first = await store.classifyHeads('cached');
    expect(await store.classifyHeads('cached')).toBe(first);
    expect(cache.size.entries).toBe(1);
    const { task: taught } = await store.apply('cached', {
      kind: 'add-examples',
      examples: redExample,
      models: models(task),
    });
    const next = await store.classifyHeads('cached');
    expect(next.task.version).toBe(taught.version);
    expect(next.task.modalities.text?.prototype.counts).toEqual({ red: 3, blue: 2 });
    expect(cache.size.entries).toBe(1);
  });

  it("keeps two tenants' tasks of one id apart", async () => {
    const cache = new HeadsCache();
    const [alice, bob] = ['alice', 'bob'].map((name) => new TaskStore(env, Tenant.of(name) as Tenant, cache));
    const make = (store: TaskStore | undefined, labels: string[]) =>
      store?.create({ ...baseTask('shared'), labels });
    await make(alice, ['cat', 'dog']);
    await make(bob, ['red', 'blue', 'green']);
    expect((await alice?.classifyHeads('shared'))?.task.labels).toEqual(['cat', 'dog']);
    expect((await bob?.classifyHeads('shared'))?.task.labels).toEqual(['red', 'blue', 'green']);
    expect(cache.size.entries).toBe(2);
    await expect(new TaskStore(env, publicTenant, cache).classifyHeads('shared')).rejects.toMatchObject({
      status: 404,
      code: 'unknown-task',
    });
  });
});

function baseTask(id: string) {
  const at = new Date(0).toISOString();
  const head = prototypeHead('text-hash-256', 0);
  return {
    id,
    labels: ['a', 'b'],
    modalities: { text: head },
    fusion: { strategy: 'weighted', weights: { text: 1 } },
    version: 1,
    nextExample: 1,
    createdAt: at,
    updatedAt: at,
  };
}

describe('HeadsCache bounds', () => {
  const sized = (id: string, floats: number) => {
    const sums = { a: new Float32Array(floats) };
    const wire = { ...baseTask(id), labels: ['a'] };
    const text = { ...wire.modalities.text, prototype: { sums, counts: { a: 1 } } };
    return { ...wire, modalities: { text } };
  };

  it('drops the least recently used beyond its entries', () => {
    const cache = new HeadsCache({ entries: 2, bytes: 1 << 20 });
    cache.put('a', sized('a', 4));
    cache.put('b', sized('b', 4));
    expect(cache.get('a', 1)).toBeDefined();
    cache.put('c', sized('c', 4));
    expect([cache.version('a'), cache.version('b'), cache.version('c')]).toEqual([1, undefined, 1]);
  });

  it('stays within its bytes, and keeps no task larger than them alone', () => {
    const cache = new HeadsCache({ entries: 10, bytes: 10_000 });
    for (const id of ['a', 'b', 'c']) cache.put(id, sized(id, 1_000));
    expect(cache.size.bytes).toBeLessThanOrEqual(10_000);
    expect(cache.size.entries).toBe(1);
    const huge = cache.put('huge', sized('huge', 5_000));
    expect(huge.heads.get('text')).toBeTypeOf('function');
    expect(cache.version('huge')).toBeUndefined();
    expect(cache.get('a', 2)).toBeUndefined();
  });
});
