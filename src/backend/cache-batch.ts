/**
 * @module
 * The embedding cache's store work for one request, made once for all its calls: `classify` embeds with one call
 * per model (text, image, audio at once), and each call's inputs that the isolate's memory does not hold are looked
 * up together — the first call's lookup waits a turn (`embedding-cache.ts`), the calls made meanwhile join it, and
 * the store is asked once ({@link VectorStore.getAll}: one Cache API `match`, `cache-api-store.ts`). What the
 * backend returns for a lookup's misses is written once, when every call of that lookup has its answer
 * ({@link VectorStore.putAll}: one `put`, under the key the same lookup asks for, so a repeat of the request finds
 * it). A call made after the lookup has started (a cascade's next round) starts the next one.
 */
import type { Defer } from '../defer.ts';
import type { Timer } from '../timer.ts';
import type { VectorStore } from './embedding-cache.ts';

export interface Entry {
  readonly key: string;
  readonly vector: Float32Array;
}

/** One call's part of a lookup: what the store holds of its keys, and where its vectors to keep go. */
export interface Joined {
  readonly found: Promise<(Float32Array | undefined)[]>;
  /** Called once, when the call is done: what it asks to keep (none if it failed, found all, or writes nothing). */
  settle(kept: readonly Entry[]): void;
}

/**
 * A turn of the event loop, after which the speculative backend calls are on the wire: the lookup's own work (in
 * Miniflare, the simulated cache's, on this thread) then overlaps the backend's instead of delaying its start.
 */
const nextTurn = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Many keys of a store without `getAll` (a test's Map): each asked alone. */
const getEach = (store: VectorStore, keys: readonly string[]) =>
  Promise.all(keys.map((key) => store.get(key)));

/** Entries of a store without `putAll`: each written alone. */
const putEach = async (store: VectorStore, entries: readonly Entry[]) => {
  await Promise.all(entries.map(({ key, vector }) => store.put(key, vector)));
};

interface Lookup {
  readonly keys: string[];
  readonly kept: Entry[];
  readonly found: Promise<(Float32Array | undefined)[]>;
  calls: number;
}

/** Joins a request's lookups and writes (see the module); `time` times each lookup as `cache-lookup`. */
export function cacheBatch(
  store: VectorStore,
  time: Timer,
  defer: Defer,
): (keys: readonly string[]) => Joined {
  let open: Lookup | undefined;
  const start = (): Lookup => {
    const keys: string[] = [];
    const found = time('cache-lookup', async () => {
      await nextTurn();
      open = undefined;
      return store.getAll ? store.getAll(keys) : getEach(store, keys);
    });
    return { keys, kept: [], found, calls: 0 };
  };
  return (keys) => {
    const lookup = (open ??= start());
    const from = lookup.keys.length;
    lookup.keys.push(...keys);
    lookup.calls++;
    let settled = false;
    return {
      found: lookup.found.then((found) => found.slice(from, from + keys.length)),
      settle(kept) {
        if (settled) return;
        settled = true;
        lookup.kept.push(...kept);
        if (--lookup.calls > 0 || lookup.kept.length === 0) return;
        const entries = lookup.kept;
        defer(() => (store.putAll ? store.putAll(entries) : putEach(store, entries)));
      },
    };
  };
}
