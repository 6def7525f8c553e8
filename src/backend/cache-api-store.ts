/**
 * @module
 * A {@link VectorStore} on the Workers Cache API (`caches.default`, per data centre, free, evicted under
 * pressure): a vector is a response of raw little-endian float32 bytes under a synthetic URL of its key, kept for
 * `ttlSeconds`. A failing cache never fails a request: a read error is a miss, a write error is dropped. Writes
 * finish after the answer (`waitUntil`), so a vector being written is answered from memory until it is stored:
 * the next request of the isolate finds it however long the write takes.
 */
import type { VectorStore } from './embedding-cache.ts';

/** A host no request can reach: entries live only in the cache. */
const origin = 'https://embedding-cache.modalfuse.internal/';

/** Vectors whose writes have not finished, by key, in this isolate. */
const writing = new Map<string, Float32Array>();

export function cacheApiStore(cache: Cache, ttlSeconds: number): VectorStore {
  return {
    async get(key) {
      const pending = writing.get(key);
      if (pending !== undefined) return pending;
      const response = await cache.match(`${origin}${key}`).catch(() => undefined);
      if (response === undefined) return undefined;
      const bytes = await response.arrayBuffer();
      return bytes.byteLength % 4 === 0 ? new Float32Array(bytes) : undefined;
    },
    async put(key, vector) {
      const bytes = new Float32Array(vector);
      const headers = {
        'content-type': 'application/octet-stream',
        'cache-control': `max-age=${ttlSeconds}`,
      };
      writing.set(key, vector);
      try {
        await cache.put(`${origin}${key}`, new Response(bytes.buffer, { headers })).catch(() => undefined);
      } finally {
        if (writing.get(key) === vector) writing.delete(key);
      }
    },
  };
}
