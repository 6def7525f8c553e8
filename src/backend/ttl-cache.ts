/**
 * @module
 * A small time-bounded cache for backend facts (model metadata, the model list), per isolate: Workers reuse an
 * isolate for many requests, so this saves a round trip on most of them while a changed repository shows up
 * within the TTL. Failures are never cached.
 */

interface Entry<T> {
  readonly value: Promise<T>;
  readonly expires: number;
}

export class TtlCache<T> {
  readonly #entries = new Map<string, Entry<T>>();

  constructor(
    readonly ttlMs: number,
    /** Entries kept at most; the oldest goes first. */
    readonly capacity = 256,
  ) {}

  /** The cached value, or `load()`'s, shared by concurrent callers; a rejected load is forgotten. */
  get(key: string, load: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = this.#entries.get(key);
    if (hit !== undefined && hit.expires > now) return hit.value;
    const value = load();
    this.#entries.delete(key);
    this.#entries.set(key, { value, expires: now + this.ttlMs });
    value.catch(() => {
      if (this.#entries.get(key)?.value === value) this.#entries.delete(key);
    });
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.capacity) break;
      this.#entries.delete(oldest);
    }
    return value;
  }
}
