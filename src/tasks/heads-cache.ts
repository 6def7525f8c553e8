/**
 * @module
 * The edge's cache of tasks' heads, per isolate: a classify asks the task's object for its version only, and
 * builds the heads (decoding, centroids) only when that version is new to the isolate. Keyed by the task object's
 * name, which holds the tenant (`addresses.ts`), so tenants never share an entry; an entry holds one version, and
 * the version is read from the object on every classify, so a write acknowledged to its writer is seen by the next
 * classify anywhere. Bounded in entries and in bytes (the least recently used go first); a task larger than the
 * byte bound alone is built for its request and not kept.
 */
import { scorersOf, type TaskHeads } from '../heads/task-heads.ts';
import { heldBytes, type ClassifyTask } from './heads-wire.ts';
import { BoundedLru, type LruLimits } from '../bounded-lru.ts';

export interface CachedHeads {
  readonly task: ClassifyTask<Float32Array>;
  readonly heads: TaskHeads;
  readonly bytes: number;
}

export type HeadsCacheLimits = LruLimits;

/** A Worker isolate has 128 MB: the heads may take a quarter of it. */
export const defaultHeadsCacheLimits: HeadsCacheLimits = { entries: 256, bytes: 32 * 1024 * 1024 };

export class HeadsCache {
  readonly #entries: BoundedLru<CachedHeads>;

  constructor(readonly limits: HeadsCacheLimits = defaultHeadsCacheLimits) {
    this.#entries = new BoundedLru(limits, (entry) => entry.bytes);
  }

  /** The heads of `key` at `version`, if kept (and now the most recently used). */
  get(key: string, version: number): CachedHeads | undefined {
    if (this.#entries.peek(key)?.task.version !== version) return undefined;
    return this.#entries.get(key);
  }

  /** The version of `key` kept, if any: the object is asked whether it is still current. */
  version(key: string): number | undefined {
    return this.#entries.peek(key)?.task.version;
  }

  /** Builds the task's heads and keeps them in place of any other version of `key`, within the bounds. */
  put(key: string, task: ClassifyTask<Float32Array>): CachedHeads {
    const entry = { task, heads: scorersOf(task), bytes: heldBytes(task) };
    this.#entries.set(key, entry);
    return entry;
  }

  /** How many entries and bytes are kept. */
  get size(): { entries: number; bytes: number } {
    return this.#entries.size;
  }
}
