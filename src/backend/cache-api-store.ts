/**
 * @module
 * A {@link VectorStore} on the Workers Cache API (`caches.default`, per data centre, free, evicted under
 * pressure): a vector is a response of raw little-endian float32 bytes under a synthetic URL of its key, kept for
 * `ttlSeconds`. A failing cache never fails a request: a read error is a miss, a write error is dropped. The
 * vectors this isolate read or wrote lately are also kept in its memory (`recent-vectors.ts`, bounded), so a
 * repeated input needs no lookup; a new vector is remembered at once and written after the answer (`waitUntil`),
 * so it is answered from memory until it is stored, however long the write takes.
 *
 * Every cache call has a time limit: a lookup that has not answered (body included) in {@link lookupLimitMs} is a
 * miss, a write that has not finished in {@link writeLimitMs} is given up. After `npm start` was SIGKILLed under a
 * teaching load, Miniflare's simulated cache (`.wrangler/state/v3/cache/`) left a `cache.match` of a fresh input
 * pending for minutes, and every teach and embedding of a new input waited on it; a cache is only an
 * optimisation, so it must never hold a request.
 */
import { log } from '../log.ts';
import type { VectorStore } from './embedding-cache.ts';
import { RecentVectors } from './recent-vectors.ts';

/** A lookup normally answers in a few ms and overlaps the backend's call; past this the backend's answer is used. */
export const lookupLimitMs = 250;
/** A write runs after the answer (`waitUntil`); past this it is dropped, so a stuck cache holds no isolate's work. */
export const writeLimitMs = 2000;

/** `work`'s result, or undefined (logged) when it has not settled within `ms`; a rejection is undefined too. */
async function within<T>(work: Promise<T>, ms: number, what: string): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => {
      log('warn', 'embedding cache too slow, skipped', { operation: what, limitMs: ms });
      resolve(undefined);
    }, ms);
  });
  try {
    return await Promise.race([work.catch(() => undefined), late]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

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
      // The body is read inside the limit: a stalled cache may answer headers and never end the body.
      const read = async () => {
        const response = await cache.match(`${origin}${key}`);
        return response === undefined ? undefined : response.arrayBuffer();
      };
      const bytes = await within(read(), lookupLimitMs, 'match');
      if (bytes === undefined || bytes.byteLength % 4 !== 0) return undefined;
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
        await within(
          cache.put(`${origin}${key}`, new Response(bytes.buffer, { headers })),
          writeLimitMs,
          'put',
        );
      } finally {
        if (writing.get(key) === vector) writing.delete(key);
      }
    },
  };
}
