/**
 * @module
 * An embedding cache in front of any {@link BackendClient}: each canonical input is looked up under
 * sha256(partition, model, MIME type, canonical bytes) in a {@link VectorStore} (the Workers Cache API in
 * production), only the misses go to the backend (in one call), and what it returns is stored. The partition is
 * the tenant's name by default (`services.ts`): a cache shared by tenants would tell one of them, by a hit's speed
 * or its `Server-Timing`, that another embedded that exact input. Because the key is the canonical
 * input (the adapter's output: NFC text, validated bytes), inputs that differ only in form share an entry.
 * Truncation (`dimensions`) and encoding happen after, so one entry serves all.
 * A refusal that names its items is renumbered from the misses' call to the caller's.
 *
 * The lookup does not delay a miss: inputs the store does not hold in memory ({@link VectorStore.peek}) are asked of
 * the backend first and looked up a turn later, while the backend works. When the lookup finds them all, that call
 * is aborted, and the backend drops a cancelled request still in its batching queue (it waits there for batch
 * mates longer than a lookup takes), so a hit costs it no inference; when it finds some, the call is aborted too
 * and only the misses are asked, after the lookup, as if nothing had been asked before. Both `/v1/embeddings` and
 * `/v1/classify` go through it. What the backend returns is stored after the answer (`defer.ts`: the caller's
 * `waitUntil`), and the lookups are timed as `cache-lookup` for `Server-Timing`. The calls of one request (one per
 * model) share one lookup and one write (`cache-batch.ts`): on the Cache API, one `match` and one `put`. Bulk
 * work (a batch's lines) reads the cache but stores nothing: a job of 100,000 one-off inputs would push out the
 * entries that interactive calls reuse, and each write is CPU the job spends for nobody.
 */
import type { CanonicalInput } from '../../adapters/types.ts';
import { BackendInputError } from './errors.ts';
import { extrasOf } from './extras.ts';
import { deferTo, type Defer } from '../defer.ts';
import { cacheBatch, type Entry } from './cache-batch.ts';
import type { Timer } from '../timer.ts';
import type { BackendClient } from './types.ts';

/** Where vectors are kept: the Cache API (`cache-api-store.ts`) or, in tests, a Map. */
export interface VectorStore {
  get(key: string): Promise<Float32Array | undefined>;
  put(key: string, vector: Float32Array): Promise<void>;
  /** Many keys in one lookup (the Cache API store: one `match`); without it, each key is asked alone. */
  getAll?(keys: readonly string[]): Promise<(Float32Array | undefined)[]>;
  /** Many vectors in one write, found again by `getAll` of the same keys; without it, each is put alone. */
  putAll?(entries: readonly Entry[]): Promise<void>;
  /** What the store holds in memory, without a lookup (a store with no memory of its own has none). */
  peek?(key: string): Float32Array | undefined;
  /** Keeps a vector in that memory at once, before its deferred `put`: a repeat meanwhile is a hit. */
  remember?(key: string, vector: Float32Array): void;
}

/** How many of a call's inputs were found; reported to `Server-Timing` by the caller. */
export type CacheReport = (hits: number, misses: number) => void;

/** Where the cache's work goes besides its answer: writes after the answer, lookups timed. */
export interface CacheWork {
  readonly defer?: Defer;
  readonly time?: Timer;
  /** False for bulk work: what the backend returns is neither stored nor kept in memory (default true). */
  readonly writes?: boolean;
}

const untimed: Timer = (_, work) => Promise.resolve(work());

const encoder = new TextEncoder();
const hexPairs = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** The fields are NUL-separated and the bytes last: no NUL is in a partition, model or MIME type name. */
async function keyOf(partition: string, model: string, input: CanonicalInput): Promise<string> {
  const names = encoder.encode(`${partition}\0${model}\0${input.mimeType}\0`);
  const whole = new Uint8Array(names.byteLength + input.bytes.byteLength);
  whole.set(names);
  whole.set(input.bytes, names.byteLength);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', whole));
  let hex = '';
  for (const byte of digest) hex += hexPairs[byte] ?? '';
  return hex;
}

/** A refusal of the misses, its named items renumbered by their places in the whole call. */
function inCall(error: unknown, missing: readonly number[]): unknown {
  if (!(error instanceof BackendInputError) || error.items === undefined) return error;
  const items = error.items.map((item) => ({ ...item, index: missing[item.index] ?? -1 }));
  return new BackendInputError(error.model, error.backendMessage, error.code, items, error.reason);
}

/**
 * The same backend (its other calls untouched), its `embed` answered from `store` where it can be; entries of one
 * `partition` are never seen from another.
 */
export function withEmbeddingCache<B extends BackendClient>(
  backend: B,
  store: VectorStore,
  report: CacheReport,
  partition: string,
  work: CacheWork = {},
): B {
  const join = cacheBatch(store, work.time ?? untimed, work.defer ?? deferTo(undefined));
  /** The inputs at `indices` asked of the backend (the refusal of such a call renumbered for the caller's). */
  const ask = (
    model: string,
    inputs: readonly CanonicalInput[],
    indices: readonly number[],
    signal?: AbortSignal,
  ) =>
    backend
      .embed(
        model,
        indices.map((i) => inputs[i] as CanonicalInput),
        signal,
      )
      .catch((error: unknown) => {
        throw inCall(error, indices);
      });

  async function embed(model: string, inputs: readonly CanonicalInput[]): Promise<Float32Array[]> {
    const keys = await Promise.all(inputs.map((input) => keyOf(partition, model, input)));
    const vectors = keys.map((key) => store.peek?.(key));
    const unknown = vectors.flatMap((vector, i) => (vector === undefined ? [i] : []));
    if (unknown.length === 0) {
      report(inputs.length, 0);
      return vectors as Float32Array[];
    }
    const speculation = new AbortController();
    const asked = ask(model, inputs, unknown, speculation.signal);
    // Settled here when it is aborted or fails after the lookup made it moot: never an unhandled rejection.
    asked.catch(() => undefined);
    const joined = join(unknown.map((i) => keys[i] as string));
    const kept: Entry[] = [];
    try {
      const found = await joined.found;
      unknown.forEach((index, i) => (vectors[index] = found[i]));
      const missing = unknown.filter((_, i) => found[i] === undefined);
      report(inputs.length - missing.length, missing.length);
      if (missing.length < unknown.length) speculation.abort();
      if (missing.length === 0) return vectors as Float32Array[];
      const fresh = missing.length === unknown.length ? await asked : await ask(model, inputs, missing);
      missing.forEach((index, i) => (vectors[index] = fresh[i]));
      if (work.writes === false) return vectors as Float32Array[];
      // A vector with extra outputs (a derived part's text) is not kept: a hit would lose them (`extras.ts`).
      missing.forEach((index, i) => {
        const vector = fresh[i] as Float32Array;
        if (extrasOf(vector) === undefined) kept.push({ key: keys[index] as string, vector });
      });
      kept.forEach(({ key, vector }) => store.remember?.(key, vector));
      return vectors as Float32Array[];
    } finally {
      // The request's one write waits for every call of this lookup (`cache-batch.ts`).
      joined.settle(kept);
    }
  }

  return { ...backend, embed };
}
