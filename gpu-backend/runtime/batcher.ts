/**
 * @module
 * The dynamic batcher: a {@link Scheduler} that queues items across requests and runs them in batches on the
 * model's session instances, as {@link nextBatch} decides. The queue is bounded (a full queue refuses a request
 * whole with 503 + Retry-After, so nothing accepted is ever dropped); an item whose deadline passes in the queue
 * is answered with 503 and never run; a batch that fails is re-run item by item, so a bad item fails alone. A
 * request whose signal aborts (its client went away) has its queued items dropped unrun and is answered 499.
 */
import {
  expiredItems,
  fullBatchSize,
  nextBatch,
  type BatchPolicy,
  type PendingItem,
} from './batch-policy.ts';
import { collate, splitBatch } from './collate.ts';
import { cancelled, overloaded, unavailable } from './errors.ts';
import { observedRun, type RunBatch, type ScheduleOptions, type Scheduler } from './scheduler.ts';
import type { BatchObserver } from './stats.ts';
import { elementCount, type TensorMap } from './tensor.ts';

export interface BatcherOptions {
  readonly policy: BatchPolicy;
  /** Most items waiting at once; a request that does not fit is refused (admitted anyway into an empty queue). */
  readonly maxQueueSize: number;
  /** Deadline of a request that names none (µs, 0 for none). */
  readonly defaultTimeoutUs: number;
  /** One runner per session instance; a batch goes to whichever is free. */
  readonly runners: readonly RunBatch[];
  /**
   * Batches handed to an instance beyond the one it runs (default 0). With 1, a session in another thread
   * starts its next batch the moment one ends, instead of idling until this thread has answered the last batch
   * and formed the next; a batch waiting there is out of the queue (its deadline no longer applies). Only a
   * complete batch is handed over this way (see {@link DynamicBatcher.slotFor}).
   */
  readonly prefetch?: number;
  readonly observer?: BatchObserver;
  readonly now?: () => number;
}

interface Entry extends PendingItem {
  readonly item: TensorMap;
  readonly outputs: readonly string[];
  readonly resolve: (result: TensorMap) => void;
  readonly reject: (error: unknown) => void;
}

/** `PendingItem.size`: its largest input's elements (every input of a text model is one row of tokens). */
const itemSize = (item: TensorMap): number =>
  Math.max(0, ...Object.values(item).map((tensor) => elementCount(tensor.dims)));

export class DynamicBatcher implements Scheduler {
  private queue: Entry[] = [];
  /** Batches each instance holds (running or handed over), at most {@link capacity}. */
  private readonly held = new Map<RunBatch, number>();
  private readonly capacity: number;
  private timer: NodeJS.Timeout | undefined;
  private flushing = false;
  private readonly now: () => number;

  constructor(private readonly options: BatcherOptions) {
    if (options.runners.length === 0) throw new Error('the batcher needs at least one runner');
    for (const runner of options.runners) this.held.set(runner, 0);
    this.capacity = 1 + (options.prefetch ?? 0);
    this.now = options.now ?? (() => performance.now());
  }

  /** Items waiting in the queue. */
  depth(): number {
    return this.queue.length;
  }

  schedule(
    items: readonly TensorMap[],
    outputs: readonly string[],
    options: ScheduleOptions = {},
  ): Promise<TensorMap[]> {
    const { maxQueueSize, defaultTimeoutUs } = this.options;
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(cancelled('the request was cancelled before it was queued'));
    if (this.queue.length > 0 && this.queue.length + items.length > maxQueueSize) {
      return Promise.reject(
        overloaded(`the queue is full (${this.queue.length} of ${maxQueueSize} items waiting): retry later`),
      );
    }
    const timeoutUs = options.timeoutUs ?? defaultTimeoutUs;
    const enqueuedAt = this.now();
    const deadline = timeoutUs > 0 ? enqueuedAt + timeoutUs / 1000 : Infinity;
    const entries: Entry[] = [];
    const results = items.map(
      (item) =>
        new Promise<TensorMap>((resolve, reject) => {
          entries.push({ item, outputs, size: itemSize(item), enqueuedAt, deadline, resolve, reject });
        }),
    );
    this.queue.push(...entries);
    this.pump();
    return signal ? this.cancellable(Promise.all(results), entries, signal) : Promise.all(results);
  }

  /**
   * `all`, or a 499 as soon as `signal` aborts: the request's items still queued then are dropped (they never
   * run); those already handed to an instance finish with their batch, their results unused.
   */
  private cancellable(
    all: Promise<TensorMap[]>,
    entries: readonly Entry[],
    signal: AbortSignal,
  ): Promise<TensorMap[]> {
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const error = cancelled('the request was cancelled by its client');
        this.withdraw(entries, error);
        reject(error);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      void all.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  /** Takes `entries` out of the queue (those still there), rejecting each with `error`. */
  private withdraw(entries: readonly Entry[], error: Error): void {
    const leaving = new Set(entries);
    const dropped = this.queue.filter((entry) => leaving.has(entry));
    if (dropped.length === 0) return;
    this.queue = this.queue.filter((entry) => !leaving.has(entry));
    for (const entry of dropped) entry.reject(error);
    this.options.observer?.cancelled(dropped.length);
    // The wake-up was set for the queue as it was (perhaps for a dropped item's delay or deadline).
    this.pump();
  }

  /** Runs everything queued without waiting for fuller batches (graceful shutdown). */
  flush(): void {
    this.flushing = true;
    this.pump();
  }

  private rejectExpired(now: number): void {
    const expired = new Set(expiredItems(this.queue, now));
    if (expired.size === 0) return;
    for (const index of expired) {
      const entry = this.queue[index];
      entry?.reject(
        unavailable(`request timed out after ${Math.round((now - entry.enqueuedAt) * 1000)} µs in the queue`),
      );
    }
    this.queue = this.queue.filter((_, index) => !expired.has(index));
  }

  private pump(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (;;) {
      const now = this.now();
      this.rejectExpired(now);
      const decision = nextBatch(this.queue, this.options.policy, now, {
        flush: this.flushing,
        idleInstances: this.idleInstances(),
      });
      if (decision.kind === 'idle') return;
      if (decision.kind === 'wait') return this.wake(decision.until);
      const runner = this.slotFor(decision.indices.length);
      if (!runner) return this.wake(Infinity);
      const chosen = new Set(decision.indices);
      const batch = this.queue.filter((_, index) => chosen.has(index));
      this.queue = this.queue.filter((_, index) => !chosen.has(index));
      for (const entry of batch) this.options.observer?.dequeued((now - entry.enqueuedAt) * 1000);
      this.held.set(runner, this.holding(runner) + 1);
      void this.execute(runner, batch).finally(() => {
        this.held.set(runner, this.holding(runner) - 1);
        this.pump();
      });
    }
  }

  /** Instances holding no batch (at least 1, so a decision is made even when every instance is busy). */
  private idleInstances(): number {
    return Math.max(1, this.options.runners.filter((runner) => this.holding(runner) === 0).length);
  }

  private holding(runner: RunBatch): number {
    return this.held.get(runner) ?? 0;
  }

  /**
   * A slot for a batch of `size`: an instance that holds nothing, else a busy instance's prefetch slot, but only
   * for a complete batch — one at the full size, or cut short by the policy's limits while more items wait.
   * An incomplete batch would wait there behind the running one anyway; in the queue, later arrivals can join it.
   */
  private slotFor(size: number): RunBatch | undefined {
    const { runners, policy } = this.options;
    const free = runners.find((runner) => this.holding(runner) === 0);
    if (free) return free;
    const complete = this.flushing || size >= fullBatchSize(policy) || size < this.queue.length;
    return complete ? runners.find((runner) => this.holding(runner) < this.capacity) : undefined;
  }

  /** Wakes at `until` or at the earliest deadline, whichever comes first. */
  private wake(until: number): void {
    const at = Math.min(until, ...this.queue.map((entry) => entry.deadline));
    if (at === Infinity) return;
    this.timer = setTimeout(() => this.pump(), Math.max(0, at - this.now()));
  }

  private async execute(runner: RunBatch, batch: readonly Entry[]): Promise<void> {
    try {
      const results = await this.run(runner, batch);
      batch.forEach((entry, index) => entry.resolve(results[index] as TensorMap));
    } catch (error) {
      if (batch.length === 1) return batch[0]?.reject(error);
      // Someone in the batch is at fault: alone, each item succeeds or fails on its own.
      for (const entry of batch) await this.execute(runner, [entry]);
    }
  }

  private async run(runner: RunBatch, batch: readonly Entry[]): Promise<TensorMap[]> {
    const outputs = [...new Set(batch.flatMap((entry) => entry.outputs))];
    const feeds = collate(batch.map((entry) => entry.item));
    const result = await observedRun(this.options.observer, batch.length, (timing) =>
      runner(feeds, outputs, true, timing),
    );
    return splitBatch(result, batch.length);
  }
}
