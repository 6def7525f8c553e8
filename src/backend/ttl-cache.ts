/**
 * @module
 * A small time-bounded cache for backend facts (model metadata, the model list), per isolate: Workers reuse an
 * isolate for many requests, so this saves a round trip on most of them while a changed repository shows up
 * within the TTL. Failures are never cached.
 *
 * A load still running is shared only by callers of the request that started it: workerd settles a promise only
 * in the request that created it, so a request awaiting another's load, once that one has ended, fails with "a
 * promise created by a request that has since ended" (seen after a restart, when the first request's metadata
 * fetch outlived it). Other requests start their own load until a value is there; values are shared by all.
 */
import { requestScope } from '../trace-scope.ts';

interface Entry<T> {
  /** The settled value, once there: each caller gets a promise of its own request. */
  value?: { readonly current: T };
  readonly loading: Promise<T>;
  /** The request whose load this is (undefined outside a request). */
  readonly owner: object | undefined;
  readonly expires: number;
}

export class TtlCache<T> {
  readonly #entries = new Map<string, Entry<T>>();

  constructor(
    readonly ttlMs: number,
    /** Entries kept at most; the oldest goes first. */
    readonly capacity = 256,
  ) {}

  /** The cached value, or `load()`'s, shared by concurrent callers of one request; a rejected load is forgotten. */
  get(key: string, load: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const owner = requestScope();
    const hit = this.#entries.get(key);
    if (hit !== undefined && hit.expires > now) {
      if (hit.value !== undefined) return Promise.resolve(hit.value.current);
      if (hit.owner === owner) return hit.loading;
    }
    const loading = load();
    const entry: Entry<T> = { loading, owner, expires: now + this.ttlMs };
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    loading.then(
      (current) => {
        if (this.#entries.get(key) === entry) entry.value = { current };
      },
      () => {
        if (this.#entries.get(key) === entry) this.#entries.delete(key);
      },
    );
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.capacity) break;
      this.#entries.delete(oldest);
    }
    return loading;
  }
}
