/**
 * @module
 * A {@link VectorStore} on the Workers Cache API (`caches.default`, per data centre, free, evicted under
 * pressure): a vector is a response of raw little-endian float32 bytes under a synthetic URL of its key, kept for
 * `ttlSeconds`. A failing cache never fails a request: a read error is a miss, a write error is dropped. The
 * vectors this isolate read or wrote lately are also kept in its memory (`recent-vectors.ts`, bounded), so a
 * repeated input needs no lookup; a new vector is remembered at once and written after the answer (`waitUntil`),
 * so it is answered from memory until it is stored, however long the write takes.
 */
import type { VectorStore } from './embedding-cache.ts';
import { RecentVectors } from './recent-vectors.ts';

/** A host no request can reach: entries live only in the cache. */
const origin = 'https://embedding-cache.modalfuse.internal/';

/** Vectors whose writes have not finished, by key, in this isolate. */
const writing = new Map<string, Float32Array>();

/** A Worker isolate has 128 MB: a sixteenth for the vectors it met lately (4,096 of 512 dimensions). */
const recent = new RecentVectors(8 * 1024 * 1024);

export function cacheApiStore(cache: Cache, ttlSeconds: number): VectorStore {
  const remember = (key: string, vector: Float32Array) =>
    recent.set(key, vector, Date.now() + ttlSeconds * 1000);
  return {
    peek: (key) => writing.get(key) ?? recent.get(key, Date.now()),
    remember,
    async get(key) {
      const pending = writing.get(key);
      if (pending !== undefined) return pending;
      const response = await cache.match(`${origin}${key}`).catch(() => undefined);
      if (response === undefined) return undefined;
      const bytes = await response.arrayBuffer();
      if (bytes.byteLength % 4 !== 0) return undefined;
      const vector = new Float32Array(bytes);
      remember(key, vector);
      return vector;
    },
    async put(key, vector) {
      const bytes = new Float32Array(vector);
      const headers = {
        'content-type': 'application/octet-stream',
        'cache-control': `max-age=${ttlSeconds}`,
      };
      writing.set(key, vector);
      remember(key, vector);
      try {
        await cache.put(`${origin}${key}`, new Response(bytes.buffer, { headers })).catch(() => undefined);
      } finally {
        if (writing.get(key) === vector) writing.delete(key);
      }
    },
  };
}
