/**
 * @module
 * The dynamic batcher's policy, pure: given the queue (oldest first), the clock and the settings, which items
 * form the next batch, or how long to wait for more. The oldest item always rides in the next batch, so nothing
 * starves; the rest of the batch are the queued items whose size is nearest to it, so padding waste stays low
 * when lengths vary. A request larger than `maxBatchSize` needs no special case: its rows are queued as separate
 * items and spread over as many batches as they need.
 */

/** What the policy needs to know about a queued item. */
export interface PendingItem {
  /**
   * The item's length: elements of its largest input (a text model's tokens). A batch pads every item to its
   * largest, so a batch costs about its size × its largest item.
   */
  readonly size: number;
  /** When it was queued (ms, same clock as `now`). */
  readonly enqueuedAt: number;
  /** When it must have started running (ms); Infinity for none. */
  readonly deadline: number;
}

export interface BatchPolicy {
  /** Most items in one run (≥ 1). */
  readonly maxBatchSize: number;
  /** Longest the oldest item waits for a fuller batch (ms). */
  readonly maxQueueDelayMs: number;
  /** Batch sizes worth running at once when that many are queued (Triton's `preferred_batch_size`). */
  readonly preferredBatchSizes: readonly number[];
  /**
   * Largest share (0–1) of a batch's padded elements that may be padding; an item that would exceed it waits
   * for a batch nearer its size. Absent: no bound. On a CPU, where batching gains little, a padded token costs
   * as much as a real one, so a bound keeps batches from being slower than single runs.
   */
  readonly maxPaddingWaste?: number;
  /**
   * Most padded elements in one batch (items × the largest; Hugging Face text-embeddings-inference's
   * `max_batch_tokens`); an item that would exceed it waits for the next batch. Absent: no bound. Short items
   * then batch wide and long ones run in small batches or alone, which is where batching stops paying on a CPU.
   * The oldest item runs even when it alone exceeds the budget.
   */
  readonly maxBatchTokens?: number;
}

export type Decision =
  | { readonly kind: 'idle' }
  /** Nothing to run before `until` (ms) unless more items arrive. */
  | { readonly kind: 'wait'; readonly until: number }
  /** Run the items at these queue indices (ascending) as one batch. */
  | { readonly kind: 'run'; readonly indices: readonly number[] };

/** Indices of items whose deadline has passed: they are answered with an error and never run. */
export function expiredItems(queue: readonly PendingItem[], now: number): number[] {
  return queue.flatMap((item, index) => (item.deadline <= now ? [index] : []));
}

/** The batch size that makes a run worth starting before the delay is over. */
export function fullBatchSize(policy: BatchPolicy): number {
  const preferred = policy.preferredBatchSizes.filter((size) => size <= policy.maxBatchSize);
  return preferred.length > 0 ? Math.max(...preferred) : policy.maxBatchSize;
}

/** Padding waste of a batch: the elements added to bring every item up to the largest. */
export function paddingWaste(sizes: readonly number[]): number {
  const largest = Math.max(0, ...sizes);
  return sizes.reduce((waste, size) => waste + largest - size, 0);
}

/** Whether a batch of these sizes stays within the policy's padding share and token budget. */
function fits(sizes: readonly number[], policy: BatchPolicy): boolean {
  const padded = sizes.length * Math.max(0, ...sizes);
  if (padded > (policy.maxBatchTokens ?? Infinity)) return false;
  const maxWaste = policy.maxPaddingWaste ?? 1;
  return maxWaste >= 1 || padded === 0 || paddingWaste(sizes) <= maxWaste * padded;
}

/**
 * The oldest item plus up to `count - 1` others nearest to it in size (ties: the older first), skipping any
 * that would take the batch past the padding share or the token budget.
 */
function nearestTo(queue: readonly PendingItem[], count: number, policy: BatchPolicy): number[] {
  const anchor = queue[0]?.size ?? 0;
  const candidates = queue
    .map((item, index) => ({ index, distance: Math.abs(item.size - anchor) }))
    .slice(1)
    .sort((a, b) => a.distance - b.distance || a.index - b.index);
  const chosen = [0];
  const sizes = [anchor];
  for (const { index } of candidates) {
    if (chosen.length >= count) break;
    const size = queue[index]?.size ?? 0;
    if (!fits([...sizes, size], policy)) continue;
    chosen.push(index);
    sizes.push(size);
  }
  return chosen.sort((a, b) => a - b);
}

export interface BatchContext {
  /** Run what is queued without waiting for the delay (e.g. while draining). */
  readonly flush?: boolean;
  /**
   * Instances with nothing to run (default 1). The queue is shared among them — 8 items for 2 idle instances
   * make a batch of 4 — rather than one batch taking everything while the other instance idles.
   */
  readonly idleInstances?: number;
}

/** The next step for a queue with no expired items. */
export function nextBatch(
  queue: readonly PendingItem[],
  policy: BatchPolicy,
  now: number,
  { flush = false, idleInstances = 1 }: BatchContext = {},
): Decision {
  const oldest = queue[0];
  if (!oldest) return { kind: 'idle' };
  const due = oldest.enqueuedAt + policy.maxQueueDelayMs;
  if (!flush && queue.length < fullBatchSize(policy) && now < due) return { kind: 'wait', until: due };
  const share = Math.ceil(queue.length / Math.max(1, idleInstances));
  const count = Math.min(Math.max(1, policy.maxBatchSize), share);
  return { kind: 'run', indices: nearestTo(queue, count, policy) };
}
