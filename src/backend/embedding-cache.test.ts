/**
 * @module
 * The embedding cache: keys from model + canonical input, misses only to the backend (counted), hits never, a
 * refusal's named items renumbered for the caller, and the Cache API store round-tripping float32 vectors inside
 * workerd.
 */
import { describe, expect, it } from 'vitest';
import type { CanonicalInput } from '../../adapters/types.ts';
import { cacheApiStore } from './cache-api-store.ts';
import { BackendInputError } from './errors.ts';
import { withEmbeddingCache, type VectorStore } from './embedding-cache.ts';
import type { BackendClient } from './types.ts';

function mapStore(): VectorStore {
  const entries = new Map<string, Float32Array>();
  return {
    get: (key) => Promise.resolve(entries.get(key)),
    put: (key, vector) => Promise.resolve(void entries.set(key, vector)),
  };
}

function countingBackend(): BackendClient & { calls: number[] } {
  const calls: number[] = [];
  return {
    url: 'http://fake.test',
    calls,
    embed(_model, inputs) {
      calls.push(inputs.length);
      return Promise.resolve(inputs.map((input) => Float32Array.of(input.bytes[0] ?? 0, input.bytes.length)));
    },
    models: () => Promise.resolve([]),
    model: () => Promise.reject(new Error('unused')),
    ready: () => Promise.resolve(true),
  };
}

const text = (value: string): CanonicalInput => ({
  modality: 'text',
  bytes: new TextEncoder().encode(value),
  mimeType: 'text/plain',
  meta: {},
});

describe('embedding cache', () => {
  it('sends only the misses to the backend, in one call, and answers hits without it', async () => {
    const backend = countingBackend();
    const reports: [number, number][] = [];
    const cached = withEmbeddingCache(backend, mapStore(), (h, m) => reports.push([h, m]), 'acme');
    const first = await cached.embed('m', [text('a'), text('bb')]);
    const second = await cached.embed('m', [text('bb'), text('ccc'), text('a')]);
    expect(backend.calls).toEqual([2, 1]);
    expect(second.map((vector) => Array.from(vector))).toEqual([
      [98, 2],
      [99, 3],
      [97, 1],
    ]);
    expect(second[2]).toEqual(first[0]);
    await cached.embed('m', [text('a'), text('ccc')]);
    expect(backend.calls).toEqual([2, 1]);
    expect(reports).toEqual([
      [0, 2],
      [2, 1],
      [2, 0],
    ]);
  });

  it('keys by model and MIME type as well as bytes', async () => {
    const backend = countingBackend();
    const cached = withEmbeddingCache(backend, mapStore(), () => {}, 'acme');
    await cached.embed('m', [text('a')]);
    await cached.embed('other', [text('a')]);
    await cached.embed('m', [{ ...text('a'), mimeType: 'image/png' }]);
    expect(backend.calls).toEqual([1, 1, 1]);
  });

  it('keeps partitions apart in one store, and shares entries within one', async () => {
    const backend = countingBackend();
    const store = mapStore();
    const hits: number[] = [];
    const partition = (name: string) => withEmbeddingCache(backend, store, (h) => hits.push(h), name);
    const [alice, bob, aliceAgain] = [partition('alice'), partition('bob'), partition('alice')];
    await alice.embed('m', [text('a')]);
    await bob.embed('m', [text('a')]);
    await aliceAgain.embed('m', [text('a')]);
    // A partition whose name and model run together as another's ('alice' + 'm' vs 'alic' + 'em') is still apart.
    await partition('alic').embed('em', [text('a')]);
    expect(backend.calls).toEqual([1, 1, 1]);
    expect(hits).toEqual([0, 0, 1, 0]);
  });

  it('does not cache failures', async () => {
    const backend = countingBackend();
    let fail = true;
    const flaky = {
      ...backend,
      embed: (m: string, i: readonly CanonicalInput[]) =>
        fail ? Promise.reject(new Error('down')) : backend.embed(m, i),
    };
    const cached = withEmbeddingCache(flaky, mapStore(), () => {}, 'acme');
    await expect(cached.embed('m', [text('a')])).rejects.toThrow('down');
    fail = false;
    expect(await cached.embed('m', [text('a')])).toHaveLength(1);
    expect(backend.calls).toEqual([1]);
  });

  it("renumbers the items a refusal of the misses names by their places in the caller's call", async () => {
    const store = mapStore();
    await withEmbeddingCache(countingBackend(), store, () => {}, 'acme').embed('m', [text('a'), text('c')]);
    const asked: number[] = [];
    const picky: BackendClient = {
      ...countingBackend(),
      embed: (_, inputs) => {
        asked.push(inputs.length);
        const items = inputs.map((_input, index) => ({ index, message: 'too long', code: 'malformed' }));
        return Promise.reject(new BackendInputError('m', 'too long', 'malformed', items));
      },
    };
    const refusal = await withEmbeddingCache(picky, store, () => {}, 'acme')
      .embed('m', [text('a'), text('bb'), text('c'), text('dd')])
      .catch((error: unknown) => error);
    // Only the misses 'bb' and 'dd' reach the backend, as its items 0 and 1: the caller hears 1 and 3.
    expect(asked).toEqual([2]);
    expect(refusal).toBeInstanceOf(BackendInputError);
    expect(refusal).toMatchObject({ items: [{ index: 1, message: 'too long' }, { index: 3 }] });
  });

  it('keeps float32 vectors in the Cache API', async () => {
    const store = cacheApiStore(await caches.open(`test-${crypto.randomUUID()}`), 60);
    const key = crypto.randomUUID();
    expect(await store.get(key)).toBeUndefined();
    await store.put(key, Float32Array.of(0.25, -1.5, 3));
    expect(Array.from((await store.get(key)) ?? [])).toEqual([0.25, -1.5, 3]);
  });
});
