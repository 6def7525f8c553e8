/**
 * @module
 * The vectors an isolate met lately, by cache key: bounded in bytes (the least recently used go first), each
 * until the time its Cache API entry expires, so memory never answers what the cache would no longer hold.
 */

interface Entry {
  readonly vector: Float32Array;
  /** ms since the epoch. */
  readonly until: number;
}

export class RecentVectors {
  readonly #entries = new Map<string, Entry>();
  #bytes = 0;

  constructor(readonly maxBytes: number) {}

  /** The vector of `key` if kept and not expired at `now` (and now the most recently used). */
  get(key: string, now: number): Float32Array | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#drop(key);
    if (entry.until <= now) return undefined;
    this.#entries.set(key, entry);
    this.#bytes += entry.vector.byteLength;
    return entry.vector;
  }

  /** Keeps `vector` under `key` until `until`, within the bound; a vector larger than the bound is not kept. */
  set(key: string, vector: Float32Array, until: number): void {
    this.#drop(key);
    if (vector.byteLength > this.maxBytes) return;
    this.#entries.set(key, { vector, until });
    this.#bytes += vector.byteLength;
    for (const oldest of this.#entries.keys()) {
      if (this.#bytes <= this.maxBytes) break;
      this.#drop(oldest);
    }
  }

  /** How many vectors and bytes are kept. */
  get size(): { entries: number; bytes: number } {
    return { entries: this.#entries.size, bytes: this.#bytes };
  }

  #drop(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    this.#bytes -= entry.vector.byteLength;
  }
}
