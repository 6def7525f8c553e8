/**
 * @module
 * A {@link VectorStore} on the Workers Cache API (`caches.default`, per data centre, free, evicted under
 * pressure): a vector is a response of raw little-endian float32 bytes under a synthetic URL of its key, kept for
 * `ttlSeconds`. The vectors one request looks up together (`cache-batch.ts`: classify's text, image and audio, a
 * call's 16 texts) are one entry under the SHA-256 of their sorted keys, read with one `match` and written with one
 * `put`; a lone input's entry is its own key, so one-input requests find what others of one input wrote. Miniflare's
 * simulated Cache API costs ≈ 4 ms of CPU per call (`bench:edge`'s ladder); on Cloudflare each call is a
 * subrequest. A failing cache never fails a request: a read error is a miss, a write error is dropped. The
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
import type { Entry } from './cache-batch.ts';
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

/** The vectors of `keys` in one body: one vector as its bytes; several after a header of their count and lengths. */
function encode(vectors: readonly Float32Array[]): ArrayBuffer {
  if (vectors.length === 1) return new Float32Array(vectors[0] as Float32Array).buffer;
  const header = Uint32Array.from([vectors.length, ...vectors.map((vector) => vector.length)]);
  const body = new Float32Array(header.length + vectors.reduce((sum, vector) => sum + vector.length, 0));
  new Uint32Array(body.buffer).set(header);
  let at = header.length;
  for (const vector of vectors) {
    body.set(vector, at);
    at += vector.length;
  }
  return body.buffer;
}

/** {@link encode}'s vectors, if the body holds `count` of them; undefined for any other body. */
function decode(bytes: ArrayBuffer, count: number): Float32Array[] | undefined {
  if (bytes.byteLength % 4 !== 0) return undefined;
  if (count === 1) return [new Float32Array(bytes)];
  const words = new Uint32Array(bytes);
  const lengths = Array.from(words.subarray(1, 1 + count));
  const total = 1 + count + lengths.reduce((sum, length) => sum + length, 0);
  if (words[0] !== count || lengths.length !== count || total !== words.length) return undefined;
  let at = 1 + count;
  return lengths.map((length) => {
    const vector = new Float32Array(bytes, at * 4, length).slice();
    at += length;
    return vector;
  });
}

const hexPairs = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/**
 * Where the vectors of `keys` (sorted) live: one key's own entry, or one entry for the set — SHA-256 of the
 * sorted keys — that a lookup of the same keys, in any order, finds.
 */
async function urlOf(sorted: readonly string[]): Promise<string> {
  if (sorted.length === 1) return `${origin}${sorted[0] ?? ''}`;
  const digest = new Uint8Array(
    await crypto.subtle.digest('SHA-256', new TextEncoder().encode(sorted.join('\n'))),
  );
  let hex = '';
  for (const byte of digest) hex += hexPairs[byte] ?? '';
  return `${origin}set/${hex}`;
}

/** The Cache API entry that holds `entries` (one per key): its URL and body. */
export async function entryOf(entries: readonly Entry[]): Promise<{ url: string; body: ArrayBuffer }> {
  const byKey = new Map(entries.map(({ key, vector }) => [key, vector]));
  const sorted = [...byKey.keys()].sort();
  return { url: await urlOf(sorted), body: encode(sorted.map((key) => byKey.get(key) as Float32Array)) };
}

export function cacheApiStore(cache: Cache, ttlSeconds: number): VectorStore {
  const remember = (key: string, vector: Float32Array) =>
    recent.set(key, vector, Date.now() + ttlSeconds * 1000);

  /** One `match` for all `keys` (their set's entry); those being written are answered from memory. */
  async function getAll(keys: readonly string[]): Promise<(Float32Array | undefined)[]> {
    const pending = keys.map((key) => writing.get(key));
    if (pending.every((vector) => vector !== undefined)) return pending;
    const sorted = [...new Set(keys)].sort();
    const url = await urlOf(sorted);
    // The body is read inside the limit: a stalled cache may answer headers and never end the body.
    const read = async () => {
      const response = await cache.match(url);
      return response === undefined ? undefined : response.arrayBuffer();
    };
    const bytes = await within(read(), lookupLimitMs, 'match');
    const vectors = bytes === undefined ? undefined : decode(bytes, sorted.length);
    if (vectors === undefined) return pending;
    const found = new Map(sorted.map((key, i) => [key, vectors[i] as Float32Array]));
    found.forEach((vector, key) => remember(key, vector));
    return keys.map((key) => writing.get(key) ?? found.get(key));
  }

  /** One `put` of all `entries`, under the entry {@link getAll} of their keys reads. */
  async function putAll(entries: readonly Entry[]): Promise<void> {
    const headers = {
      'content-type': 'application/octet-stream',
      'cache-control': `max-age=${ttlSeconds}`,
    };
    entries.forEach(({ key, vector }) => {
      writing.set(key, vector);
      remember(key, vector);
    });
    try {
      const { url, body } = await entryOf(entries);
      await within(cache.put(url, new Response(body, { headers })), writeLimitMs, 'put');
    } finally {
      entries.forEach(({ key, vector }) => {
        if (writing.get(key) === vector) writing.delete(key);
      });
    }
  }

  return {
    peek: (key) => writing.get(key) ?? recent.get(key, Date.now()),
    remember,
    getAll,
    putAll,
    get: async (key) => (await getAll([key]))[0],
    put: (key, vector) => putAll([{ key, vector }]),
  };
}
