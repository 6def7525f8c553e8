/**
 * @module
 * A map bounded in entries and in bytes (each value weighed by the caller), the least recently used dropped first:
 * the isolate's caches (`tasks/heads-cache.ts`, `backend/recent-vectors.ts`). A value heavier than the byte bound
 * alone is not kept.
 */

export interface LruLimits {
  readonly entries: number;
  readonly bytes: number;
}

export class BoundedLru<V> {
  readonly #entries = new Map<string, V>();
  #bytes = 0;

  constructor(
    readonly limits: LruLimits,
    readonly weigh: (value: V) => number,
  ) {}

  /** The value of `key`, leaving its place in the order as it is. */
  peek(key: string): V | undefined {
    return this.#entries.get(key);
  }

  /** The value of `key`, now the most recently used. */
  get(key: string): V | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  /**
   * Keeps `value` under `key` in place of any other, dropping the least recently used beyond the bounds; false when
   * it is too heavy to keep.
   */
  set(key: string, value: V): boolean {
    this.delete(key);
    const weight = this.weigh(value);
    if (weight > this.limits.bytes || this.limits.entries === 0) return false;
    this.#entries.set(key, value);
    this.#bytes += weight;
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.limits.entries && this.#bytes <= this.limits.bytes) break;
      this.delete(oldest);
    }
    return true;
  }

  delete(key: string): void {
    const value = this.#entries.get(key);
    if (value === undefined) return;
    this.#entries.delete(key);
    this.#bytes -= this.weigh(value);
  }

  /** How many entries and bytes are kept. */
  get size(): { entries: number; bytes: number } {
    return { entries: this.#entries.size, bytes: this.#bytes };
  }
}
