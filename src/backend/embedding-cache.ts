/**
 * @module
 * An embedding cache in front of any {@link BackendClient}: each canonical input is looked up under
 * sha256(partition, model, MIME type, canonical bytes) in a {@link VectorStore} (the Workers Cache API in
 * production), only the misses go to the backend (in one call), and what it returns is stored. The partition is
 * the tenant's name by default (`services.ts`): a cache shared by tenants would tell one of them, by a hit's speed
 * or its `Server-Timing`, that another embedded that exact input. Because the key is the canonical
 * input (the adapter's output: NFC text, validated bytes), inputs that differ only in form share an entry, and
 * a hit never calls the backend. Truncation (`dimensions`) and encoding happen after, so one entry serves all.
 * A refusal that names its items is renumbered from the misses' call to the caller's.
 * Both `/v1/embeddings` and `/v1/classify` go through it. What the backend returns is stored after the answer
 * (`defer`: the caller's `waitUntil`), and the lookups are timed as `cache-lookup` for `Server-Timing`.
 */
import type { CanonicalInput } from '../../adapters/types.ts';
import { BackendInputError } from './errors.ts';
import { deferTo, type Defer } from '../defer.ts';
import type { Timer } from '../timer.ts';
import type { BackendClient } from './types.ts';

/** Where vectors are kept: the Cache API (`cache-api-store.ts`) or, in tests, a Map. */
export interface VectorStore {
  get(key: string): Promise<Float32Array | undefined>;
  put(key: string, vector: Float32Array): Promise<void>;
}

/** How many of a call's inputs were found; reported to `Server-Timing` by the caller. */
export type CacheReport = (hits: number, misses: number) => void;

/** Where the cache's work goes besides its answer: writes after the answer, lookups timed. */
export interface CacheWork {
  readonly defer?: Defer;
  readonly time?: Timer;
}

const untimed: Timer = (_, work) => Promise.resolve(work());

const separator = new Uint8Array([0]);

/** The fields are NUL-separated and the bytes last: no NUL is in a partition, model or MIME type name. */
async function keyOf(partition: string, model: string, input: CanonicalInput): Promise<string> {
  const encoder = new TextEncoder();
  const names = [partition, model, input.mimeType].flatMap((name) => [encoder.encode(name), separator]);
  const parts = [...names, input.bytes];
  const whole = new Uint8Array(parts.reduce((size, part) => size + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    whole.set(part, offset);
    offset += part.byteLength;
  }
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', whole));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** A refusal of the misses, its named items renumbered by their places in the whole call. */
function inCall(error: unknown, missing: readonly number[]): unknown {
  if (!(error instanceof BackendInputError) || error.items === undefined) return error;
  const items = error.items.map((item) => ({ ...item, index: missing[item.index] ?? -1 }));
  return new BackendInputError(error.model, error.backendMessage, error.code, items);
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
  const time = work.time ?? untimed;
  const defer = work.defer ?? deferTo(undefined);
  async function embed(model: string, inputs: readonly CanonicalInput[]): Promise<Float32Array[]> {
    const { keys, found } = await time('cache-lookup', async () => {
      const keys = await Promise.all(inputs.map((input) => keyOf(partition, model, input)));
      return { keys, found: await Promise.all(keys.map((key) => store.get(key))) };
    });
    const missing = found.flatMap((vector, i) => (vector === undefined ? [i] : []));
    report(inputs.length - missing.length, missing.length);
    if (missing.length === 0) return found as Float32Array[];
    const fresh = await backend
      .embed(
        model,
        missing.map((i) => inputs[i] as CanonicalInput),
      )
      .catch((error: unknown) => {
        throw inCall(error, missing);
      });
    defer(Promise.all(missing.map((index, i) => store.put(keys[index] as string, fresh[i] as Float32Array))));
    const vectors = [...found];
    missing.forEach((index, i) => (vectors[index] = fresh[i]));
    return vectors as Float32Array[];
  }

  return { ...backend, embed };
}
