/**
 * @module
 * One request's embedding-cache work made once (`cache-batch.ts`): its calls of several models (classify's text,
 * image and audio) share one lookup and one write, also on the Cache API (one `match`, one `put`, found again by
 * the same keys in any order); a call after the lookup has started gets its own; what the isolate's memory holds
 * costs no Cache API call at all.
 */
import { describe, expect, it } from 'vitest';
import type { CanonicalInput } from '../../adapters/types.ts';
import { cacheApiStore, entryOf } from './cache-api-store.ts';
import type { Entry } from './cache-batch.ts';
import { withEmbeddingCache, type VectorStore } from './embedding-cache.ts';
import type { BackendClient } from './types.ts';

const input = (value: string): CanonicalInput => ({
  modality: 'text',
  bytes: new TextEncoder().encode(value),
  mimeType: 'text/plain',
  meta: {},
});

/** A backend that answers model `m`'s call after `delays[m]` ms: the three models of classify answer apart. */
function slowBackend(delays: Record<string, number> = {}): BackendClient & { calls: string[] } {
  const calls: string[] = [];
  return {
    url: 'http://fake.test',
    calls,
    async embed(model, inputs) {
      await new Promise((resolve) => setTimeout(resolve, delays[model] ?? 1));
      calls.push(model);
      return inputs.map((one) => Float32Array.of(one.bytes[0] ?? 0, one.bytes.length));
    },
    models: () => Promise.resolve([]),
    model: () => Promise.reject(new Error('unused')),
    ready: () => Promise.resolve(true),
  };
}

/** A Map store that counts each kind of call. */
function countingStore() {
  const entries = new Map<string, Float32Array>();
  const counts = { get: 0, put: 0, getAll: [] as number[], putAll: [] as number[] };
  const store: VectorStore = {
    get: (key) => {
      counts.get++;
      return Promise.resolve(entries.get(key));
    },
    put: (key, vector) => {
      counts.put++;
      return Promise.resolve(void entries.set(key, vector));
    },
    getAll: (keys) => {
      counts.getAll.push(keys.length);
      return Promise.resolve(keys.map((key) => entries.get(key)));
    },
    putAll: (all: readonly Entry[]) => {
      counts.putAll.push(all.length);
      all.forEach(({ key, vector }) => entries.set(key, vector));
      return Promise.resolve();
    },
  };
  return { store, counts };
}

/** Deferred work collected, to run when the test says the answer has gone. */
function deferred() {
  const work: (() => unknown)[] = [];
  return {
    defer: (job: () => unknown) => void work.push(job),
    run: async () => {
      await Promise.all(work.splice(0).map((job) => job()));
    },
  };
}

/** A Cache whose `match` and `put` are counted. */
async function countedCache() {
  const cache = await caches.open(`test-${crypto.randomUUID()}`);
  const counts = { match: 0, put: 0 };
  const counted = {
    match: (request: RequestInfo) => {
      counts.match++;
      return cache.match(request);
    },
    put: (request: RequestInfo, response: Response) => {
      counts.put++;
      return cache.put(request, response);
    },
  } as unknown as Cache;
  return { cache, counted, counts };
}

describe('one lookup and one write per request', () => {
  it("looks up classify's three models at once and writes their vectors once, after the last answer", async () => {
    const { store, counts } = countingStore();
    const backend = slowBackend({ text: 1, image: 15, audio: 30 });
    const later = deferred();
    const cached = withEmbeddingCache(backend, store, () => {}, 'acme', { defer: later.defer });
    await Promise.all([
      cached.embed('text', [input('a')]),
      cached.embed('image', [input('bb')]),
      cached.embed('audio', [input('ccc'), input('dddd')]),
    ]);
    await later.run();
    expect(counts).toEqual({ get: 0, put: 0, getAll: [4], putAll: [4] });
    // The next request (this store has no memory of its own): one lookup finds all, the backend is not asked.
    const again = withEmbeddingCache(backend, store, () => {}, 'acme');
    const vectors = await Promise.all([
      again.embed('audio', [input('dddd')]),
      again.embed('text', [input('a')]),
    ]);
    expect(vectors.map(([vector]) => Array.from(vector ?? []))).toEqual([
      [100, 4],
      [97, 1],
    ]);
    expect([counts.getAll, backend.calls]).toEqual([
      [4, 2],
      ['text', 'image', 'audio'],
    ]);
  });

  it('gives a call made after the lookup started (a cascade round) its own lookup and write', async () => {
    const { store, counts } = countingStore();
    const later = deferred();
    const cached = withEmbeddingCache(slowBackend(), store, () => {}, 'acme', { defer: later.defer });
    await cached.embed('text', [input('a')]);
    await cached.embed('image', [input('bb')]);
    await later.run();
    expect([counts.getAll, counts.putAll]).toEqual([
      [1, 1],
      [1, 1],
    ]);
  });

  it('writes nothing while a call of the lookup is still waiting for the backend', async () => {
    const { store, counts } = countingStore();
    const jobs: (() => unknown)[] = [];
    const cached = withEmbeddingCache(slowBackend({ audio: 40 }), store, () => {}, 'acme', {
      defer: (job) => void jobs.push(job),
    });
    const audio = cached.embed('audio', [input('x')]);
    await cached.embed('text', [input('y')]);
    expect(jobs).toHaveLength(0);
    await audio;
    expect(jobs).toHaveLength(1);
    await Promise.all(jobs.map((job) => job()));
    expect(counts.putAll).toEqual([2]);
  });

  it('makes one Cache API match and one put for the request, found again by the same keys in any order', async () => {
    const { cache, counted, counts } = await countedCache();
    const store = cacheApiStore(counted, 60);
    const later = deferred();
    const [a, b, c] = ['a', 'b', 'c'].map(() => crypto.randomUUID()) as [string, string, string];
    const cached = withEmbeddingCache(slowBackend(), store, () => {}, a, { defer: later.defer });
    await Promise.all([cached.embed('text', [input(b)]), cached.embed('image', [input(c)])]);
    await later.run();
    expect(counts).toEqual({ match: 1, put: 1 });
    // Another isolate's entry for three keys, read with one match whatever the order asked.
    const vectors = [Float32Array.of(1), Float32Array.of(2, 2), Float32Array.of(3)];
    const entries = [a, b, c].map((key, i) => ({ key: `other-${key}`, vector: vectors[i] as Float32Array }));
    const written = await entryOf(entries);
    await cache.put(written.url, new Response(written.body, { headers: { 'cache-control': 'max-age=60' } }));
    const found = await store.getAll?.([entries[2], entries[0], entries[1]].map((entry) => entry?.key ?? ''));
    expect(found?.map((vector) => Array.from(vector ?? []))).toEqual([[3], [1], [2, 2]]);
    expect(counts).toEqual({ match: 2, put: 1 });
  });

  it("answers what the isolate's memory holds with no Cache API call, in a later request too", async () => {
    const { counted, counts } = await countedCache();
    const store = cacheApiStore(counted, 60);
    const later = deferred();
    const fresh = crypto.randomUUID();
    const first = withEmbeddingCache(slowBackend(), store, () => {}, 'acme', { defer: later.defer });
    await first.embed('text', [input(fresh)]);
    await later.run();
    expect(counts).toEqual({ match: 1, put: 1 });
    const backend = slowBackend();
    const reports: [number, number][] = [];
    const next = withEmbeddingCache(
      backend,
      cacheApiStore(counted, 60),
      (h, m) => reports.push([h, m]),
      'acme',
    );
    await next.embed('text', [input(fresh)]);
    expect([counts, reports, backend.calls]).toEqual([{ match: 1, put: 1 }, [[1, 0]], []]);
  });
});
