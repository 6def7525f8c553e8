/**
 * @module
 * Ranking label scores, best first, ties in label order, NaN last: the last step of every fused answer. Typed
 * arrays reused from call to call and a hand-written stable merge sort of (score, label index) pairs: the native
 * `Float64Array#sort` alone took longer for 100 scores than the whole fusion rule, and sorting objects with a
 * comparator longer still. A few best of many labels (`top_k`) are picked in one pass instead of sorting them all.
 */

export interface LabelScore {
  readonly label: string;
  readonly score: number;
}

/** Runs shorter than this are sorted by insertion before merging. */
const run = 8;

/** Scratch space, grown to the largest label set seen; a Worker isolate runs one request's code at a time. */
let keys = new Float64Array(0);
let order = new Uint32Array(0);
let spareKeys = new Float64Array(0);
let spareOrder = new Uint32Array(0);

function reserve(size: number): void {
  if (keys.length >= size) return;
  keys = new Float64Array(size);
  order = new Uint32Array(size);
  spareKeys = new Float64Array(size);
  spareOrder = new Uint32Array(size);
}

/** Stable insertion sort, descending by key, of `[from, to)`. */
function insertionSort(from: number, to: number): void {
  for (let i = from + 1; i < to; i++) {
    const key = keys[i] ?? 0;
    const index = order[i] ?? 0;
    let j = i - 1;
    while (j >= from && (keys[j] ?? 0) < key) {
      keys[j + 1] = keys[j] ?? 0;
      order[j + 1] = order[j] ?? 0;
      j--;
    }
    keys[j + 1] = key;
    order[j + 1] = index;
  }
}

/**
 * Merges the sorted runs `[from, middle)` and `[middle, to)` of `fromKeys`/`fromOrder` into `toKeys`/`toOrder`;
 * on ties the left run goes first, so the earlier label stays first.
 */
function merge(
  fromKeys: Float64Array,
  fromOrder: Uint32Array,
  toKeys: Float64Array,
  toOrder: Uint32Array,
  bounds: readonly [number, number, number],
): void {
  const [from, middle, to] = bounds;
  let left = from;
  let right = middle;
  let out = from;
  while (left < middle && right < to) {
    const a = fromKeys[left] ?? 0;
    const b = fromKeys[right] ?? 0;
    if (a >= b) {
      toKeys[out] = a;
      toOrder[out++] = fromOrder[left++] ?? 0;
    } else {
      toKeys[out] = b;
      toOrder[out++] = fromOrder[right++] ?? 0;
    }
  }
  for (; left < middle; left++, out++) {
    toKeys[out] = fromKeys[left] ?? 0;
    toOrder[out] = fromOrder[left] ?? 0;
  }
  for (; right < to; right++, out++) {
    toKeys[out] = fromKeys[right] ?? 0;
    toOrder[out] = fromOrder[right] ?? 0;
  }
}

/** Sorts `keys`/`order` of length `size`, descending and stable; returns the order array that holds the result. */
function sortPairs(size: number): Uint32Array {
  for (let from = 0; from < size; from += run) insertionSort(from, Math.min(from + run, size));
  let [sourceKeys, sourceOrder, targetKeys, targetOrder] = [keys, order, spareKeys, spareOrder];
  for (let width = run; width < size; width *= 2) {
    for (let from = 0; from < size; from += 2 * width) {
      const bounds = [from, Math.min(from + width, size), Math.min(from + 2 * width, size)] as const;
      merge(sourceKeys, sourceOrder, targetKeys, targetOrder, bounds);
    }
    [sourceKeys, sourceOrder, targetKeys, targetOrder] = [targetKeys, targetOrder, sourceKeys, sourceOrder];
  }
  return sourceOrder;
}

/** Below this many, the best `limit` are kept by insertion in one pass (O(n·limit)); above, everything is sorted. */
const selectUpTo = 32;

/** A score as ranked: NaN (never expected) below everything. */
const keyOf = (score: number) => (Number.isNaN(score) ? Number.NEGATIVE_INFINITY : score);

/**
 * The indexes of the `limit` best scores, best first, ties by index; one pass over the scores, where almost every
 * label of a large set is dismissed by one comparison with the worst kept.
 */
function selectBest(scores: ArrayLike<number>, size: number, limit: number): Uint32Array {
  const best = spareOrder.subarray(0, limit);
  const bestKeys = spareKeys.subarray(0, limit);
  let held = 0;
  // The worst key kept once `limit` are held; until then nothing is dismissed.
  let worst = Number.NEGATIVE_INFINITY;
  for (let y = 0; y < size; y++) {
    const key = keyOf(scores[y] ?? 0);
    if (held === limit && key <= worst) continue;
    let j = held === limit ? held - 1 : held++;
    while (j > 0 && (bestKeys[j - 1] ?? 0) < key) {
      bestKeys[j] = bestKeys[j - 1] ?? 0;
      best[j] = best[j - 1] ?? 0;
      j--;
    }
    bestKeys[j] = key;
    best[j] = y;
    if (held === limit) worst = bestKeys[limit - 1] ?? 0;
  }
  return best;
}

/** Every index, best score first (stable). */
function sortAll(scores: ArrayLike<number>, size: number): Uint32Array {
  for (let y = 0; y < size; y++) {
    keys[y] = keyOf(scores[y] ?? 0);
    order[y] = y;
  }
  return sortPairs(size);
}

/**
 * Scores paired with their labels, best first; ties keep the labels' order; a NaN score (never expected) last.
 * Only the best `limit` when given (all when it is at least the number of labels).
 */
export function rank(labels: readonly string[], scores: ArrayLike<number>, limit?: number): LabelScore[] {
  const size = labels.length;
  const count = Math.min(size, limit ?? size);
  reserve(size);
  const sorted =
    count <= selectUpTo && count < size ? selectBest(scores, size, count) : sortAll(scores, size);
  const ranked = new Array<LabelScore>(count);
  for (let k = 0; k < count; k++) {
    const y = sorted[k] ?? 0;
    ranked[k] = { label: labels[y] ?? '', score: scores[y] ?? 0 };
  }
  return ranked;
}
