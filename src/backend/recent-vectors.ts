/**
 * @module
 * The vectors an isolate met lately, by cache key: bounded in bytes (the least recently used go first), each
 * until the time its Cache API entry expires, so memory never answers what the cache would no longer hold.
 */
import { BoundedLru } from '../bounded-lru.ts';

interface Entry {
  readonly vector: Float32Array;
  /** ms since the epoch. */
  readonly until: number;
}

export class RecentVectors {
  readonly #entries: BoundedLru<Entry>;

  constructor(readonly maxBytes: number) {
    this.#entries = new BoundedLru(
      { entries: Infinity, bytes: maxBytes },
      (entry) => entry.vector.byteLength,
    );
  }

  /** The vector of `key` if kept and not expired at `now` (and now the most recently used). */
  get(key: string, now: number): Float32Array | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined || entry.until > now) return entry?.vector;
    this.#entries.delete(key);
    return undefined;
  }

  /** Keeps `vector` under `key` until `until`, within the bound; a vector larger than the bound is not kept. */
  set(key: string, vector: Float32Array, until: number): void {
    this.#entries.set(key, { vector, until });
  }

  /** How many vectors and bytes are kept. */
  get size(): { entries: number; bytes: number } {
    return this.#entries.size;
  }
}
