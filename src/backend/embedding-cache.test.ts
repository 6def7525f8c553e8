/**
 * @module
 * The embedding cache: keys from model + canonical input, misses only computed by the backend (counted), hits
 * never (their speculative call cancelled), what the store holds in memory answered without a lookup, bulk work
 * reading but never writing, a refusal's
 * named items renumbered for the caller, and the Cache API store round-tripping float32 vectors inside workerd.
 */
import { describe, expect, it } from 'vitest';
import type { CanonicalInput } from '../../adapters/types.ts';
import { cacheApiStore, lookupLimitMs, writeLimitMs } from './cache-api-store.ts';
import { BackendError, BackendInputError } from './errors.ts';
import { withEmbeddingCache, type VectorStore } from './embedding-cache.ts';
import type { BackendClient } from './types.ts';

function mapStore(): VectorStore {
  const entries = new Map<string, Float32Array>();
  return {
    get: (key) => Promise.resolve(entries.get(key)),
    put: (key, vector) => Promise.resolve(void entries.set(key, vector)),
  };
}

/**
 * The backend's batching queue, where a call waits a moment for batch mates: one cancelled meanwhile is dropped
 * and never computed (as `gpu-backend/runtime/batcher.ts` does).
 */
async function queued(signal: AbortSignal | undefined): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 1));
  signal?.throwIfAborted();
}

/** A backend that counts the inputs of each call it computed, and of each it dropped as cancelled. */
function countingBackend(): BackendClient & { calls: number[]; cancelled: number[] } {
  const calls: number[] = [];
  const cancelled: number[] = [];
  return {
    url: 'http://fake.test',
    calls,
    cancelled,
    async embed(_model, inputs, signal) {
      await queued(signal).catch((reason: unknown) => {
        cancelled.push(inputs.length);
        throw reason;
      });
      calls.push(inputs.length);
      return inputs.map((input) => Float32Array.of(input.bytes[0] ?? 0, input.bytes.length));
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

  it('lets bulk work read entries but store nothing, neither in the store nor in its memory', async () => {
    const backend = countingBackend();
    const entries = new Map<string, Float32Array>();
    const remembered: string[] = [];
    const store: VectorStore = {
      get: (key) => Promise.resolve(entries.get(key)),
      put: (key, vector) => Promise.resolve(void entries.set(key, vector)),
      remember: (key) => void remembered.push(key),
    };
    await withEmbeddingCache(backend, store, () => {}, 'acme').embed('m', [text('a')]);
    expect([entries.size, remembered.length]).toEqual([1, 1]);
    const reports: [number, number][] = [];
    const bulk = withEmbeddingCache(backend, store, (h, m) => reports.push([h, m]), 'acme', {
      writes: false,
    });
    const vectors = await bulk.embed('m', [text('a'), text('bb')]);
    expect(vectors.map((vector) => Array.from(vector))).toEqual([
      [97, 1],
      [98, 2],
    ]);
    await bulk.embed('m', [text('bb')]);
    expect(reports).toEqual([
      [1, 1],
      [0, 1],
    ]);
    expect(backend.calls).toEqual([1, 1, 1]);
    expect([entries.size, remembered.length]).toEqual([1, 1]);
  });

  it("renumbers the items a refusal of the misses names by their places in the caller's call", async () => {
    const store = mapStore();
    await withEmbeddingCache(countingBackend(), store, () => {}, 'acme').embed('m', [text('a'), text('c')]);
    const asked: number[] = [];
    const picky: BackendClient = {
      ...countingBackend(),
      embed: async (_, inputs, signal) => {
        await queued(signal);
        asked.push(inputs.length);
        const items = inputs.map((_input, index) => ({ index, message: 'too long', code: 'malformed' }));
        throw new BackendInputError('m', 'too long', 'malformed', items);
      },
    };
    const refusal = await withEmbeddingCache(picky, store, () => {}, 'acme')
      .embed('m', [text('a'), text('bb'), text('c'), text('dd')])
      .catch((error: unknown) => error);
    // Only the misses 'bb' and 'dd' are computed (the call of all four was cancelled once 'a' and 'c' were found),
    // as the backend's items 0 and 1: the caller hears 1 and 3.
    expect(asked).toEqual([2]);
    expect(refusal).toBeInstanceOf(BackendInputError);
    expect(refusal).toMatchObject({ items: [{ index: 1, message: 'too long' }, { index: 3 }] });
  });

  it('asks the backend while it looks up, so that a miss waits for no lookup', async () => {
    const backend = countingBackend();
    let lookupsDone = false;
    const slowStore: VectorStore = {
      get: async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        lookupsDone = true;
        return undefined;
      },
      put: () => Promise.resolve(),
    };
    const started: boolean[] = [];
    const watched: BackendClient = {
      ...backend,
      embed: (model, inputs, signal) => {
        started.push(lookupsDone);
        return backend.embed(model, inputs, signal);
      },
    };
    const vectors = await withEmbeddingCache(watched, slowStore, () => {}, 'acme').embed('m', [text('a')]);
    expect(started).toEqual([false]);
    expect(backend.calls).toEqual([1]);
    expect(Array.from(vectors[0] ?? [])).toEqual([97, 1]);
  });

  it('cancels that call when the lookup finds every input: the backend computes none of them', async () => {
    const backend = countingBackend();
    const store = mapStore();
    const cached = withEmbeddingCache(backend, store, () => {}, 'acme');
    await cached.embed('m', [text('a'), text('bb')]);
    const again = await cached.embed('m', [text('bb'), text('a')]);
    expect(again.map((vector) => Array.from(vector))).toEqual([
      [98, 2],
      [97, 1],
    ]);
    // The cancelled call leaves the backend's queue when its wait there ends.
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(backend.calls).toEqual([2]);
    expect(backend.cancelled).toEqual([2]);
  });

  it('answers what the store holds in memory with no lookup and no backend call', async () => {
    const backend = countingBackend();
    const kept = new Map<string, Float32Array>();
    let lookups = 0;
    const store: VectorStore = {
      peek: (key) => kept.get(key),
      get: (key) => {
        lookups++;
        return Promise.resolve(kept.get(key));
      },
      put: (key, vector) => Promise.resolve(void kept.set(key, vector)),
    };
    const reports: [number, number][] = [];
    const cached = withEmbeddingCache(backend, store, (h, m) => reports.push([h, m]), 'acme');
    await cached.embed('m', [text('a')]);
    expect(lookups).toBe(1);
    await cached.embed('m', [text('a')]);
    expect([lookups, backend.calls.length, backend.cancelled.length]).toEqual([1, 1, 0]);
    expect(reports).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });

  it('answers from the store when everything is found, though the backend is down', async () => {
    const store = mapStore();
    await withEmbeddingCache(countingBackend(), store, () => {}, 'acme').embed('m', [text('a')]);
    const down: BackendClient = {
      ...countingBackend(),
      embed: () => Promise.reject(new BackendError('unavailable', 'the inference backend is unavailable')),
    };
    const cached = withEmbeddingCache(down, store, () => {}, 'acme');
    expect(Array.from((await cached.embed('m', [text('a')]))[0] ?? [])).toEqual([97, 1]);
    await expect(cached.embed('m', [text('new')])).rejects.toBeInstanceOf(BackendError);
  });

  it('keeps float32 vectors in the Cache API', async () => {
    const store = cacheApiStore(await caches.open(`test-${crypto.randomUUID()}`), 60);
    const key = crypto.randomUUID();
    expect(await store.get(key)).toBeUndefined();
    await store.put(key, Float32Array.of(0.25, -1.5, 3));
    expect(Array.from((await store.get(key)) ?? [])).toEqual([0.25, -1.5, 3]);
  });

  it('treats a Cache API that never answers as a miss within its limit, and gives up a write', async () => {
    // What Miniflare's simulated cache did after `npm start` was SIGKILLed mid-load: calls left pending.
    const pending = () => new Promise<never>(() => {});
    const stuck = { match: pending, put: pending } as unknown as Cache;
    const store = cacheApiStore(stuck, 60);
    const started = Date.now();
    expect(await store.get(crypto.randomUUID())).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(lookupLimitMs + 200);
    const key = crypto.randomUUID();
    await store.put(key, Float32Array.of(4));
    expect(Date.now() - started).toBeLessThan(lookupLimitMs + writeLimitMs + 400);
    // Still answered from the isolate's memory, so the write given up costs nothing.
    expect(Array.from(store.peek?.(key) ?? [])).toEqual([4]);
    const backend = countingBackend();
    const before = Date.now();
    await withEmbeddingCache(backend, store, () => {}, 'acme').embed('m', [text('fresh')]);
    expect(Date.now() - before).toBeLessThan(lookupLimitMs + 200);
  });

  it("keeps in the isolate's memory what the Cache API store read or wrote, until its entry would expire", async () => {
    const cache = await caches.open(`test-${crypto.randomUUID()}`);
    const [written, read] = [crypto.randomUUID(), crypto.randomUUID()];
    const store = cacheApiStore(cache, 60);
    expect(store.peek?.(written)).toBeUndefined();
    await store.put(written, Float32Array.of(1, 2));
    expect(Array.from(store.peek?.(written) ?? [])).toEqual([1, 2]);
    // Written by another isolate: known here once read.
    const origin = 'https://embedding-cache.modalfuse.internal/';
    const headers = { 'cache-control': 'max-age=60' };
    await cache.put(`${origin}${read}`, new Response(Float32Array.of(7).buffer, { headers }));
    expect(store.peek?.(read)).toBeUndefined();
    await store.get(read);
    expect(Array.from(store.peek?.(read) ?? [])).toEqual([7]);
    const brief = cacheApiStore(cache, 0.001);
    const soon = crypto.randomUUID();
    await brief.put(soon, Float32Array.of(3));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(brief.peek?.(soon)).toBeUndefined();
  });
});
