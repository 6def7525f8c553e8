/**
 * @module
 * The arithmetic the fusion rules share, on typed arrays and plain loops: fusion runs once per classified item
 * over every label (3 modalities × 100 labels in a budget of 20 µs), so nothing here allocates per label.
 */

/** A modality's label scores as the strategies receive them. */
export type Scores = ArrayLike<number>;

/** Scales non-negative scores in place to sum to 1 (uniform if they are all 0). */
export function normalizeInPlace(scores: Float64Array): Float64Array {
  let total = 0;
  for (let y = 0; y < scores.length; y++) total += scores[y] ?? 0;
  if (total > 0) for (let y = 0; y < scores.length; y++) scores[y] = (scores[y] ?? 0) / total;
  else scores.fill(1 / scores.length);
  return scores;
}

/** `softmax` in place, shifted by the maximum so that large logits cannot overflow. */
export function softmaxInPlace(logits: Float64Array): Float64Array {
  let max = Number.NEGATIVE_INFINITY;
  for (let y = 0; y < logits.length; y++) if ((logits[y] ?? 0) > max) max = logits[y] ?? 0;
  let total = 0;
  for (let y = 0; y < logits.length; y++) {
    const value = Math.exp((logits[y] ?? 0) - max);
    logits[y] = value;
    total += value;
  }
  for (let y = 0; y < logits.length; y++) logits[y] = (logits[y] ?? 0) / total;
  return logits;
}

/** `Σ_m w_m p_m(y)`, not renormalised. */
export function linearPool(distributions: readonly Scores[], weights: Scores): Float64Array {
  const pooled = new Float64Array(distributions[0]?.length ?? 0);
  for (let m = 0; m < distributions.length; m++) {
    const scores = distributions[m] ?? pooled;
    const weight = weights[m] ?? 0;
    for (let y = 0; y < pooled.length; y++) pooled[y] = (pooled[y] ?? 0) + weight * (scores[y] ?? 0);
  }
  return pooled;
}

/**
 * At most this many floored probabilities are multiplied before taking a logarithm: 1e-12^20 = 1e-240 is still a
 * normal double.
 */
const productChunk = 20;

/**
 * Adds `Σ_m w_m log max(p_m(y), floor)` to `logits`. Modalities of equal weight (the default: all equal) share
 * their logarithms, `log Π p = Σ log p`, so equal weights cost one `Math.log` per label instead of one per label and
 * modality — the logarithm is most of the cost of the log-space rules.
 */
export function addWeightedLogs(
  logits: Float64Array,
  distributions: readonly Scores[],
  weights: Scores,
  floor: number,
): void {
  const done = new Uint8Array(distributions.length);
  let products: Float64Array | undefined;
  for (let first = 0; first < distributions.length; first++) {
    if (done[first] === 1) continue;
    const weight = weights[first] ?? 0;
    const group = [first];
    for (let m = first + 1; m < distributions.length && group.length < productChunk; m++) {
      if (done[m] === 0 && weights[m] === weight) group.push(m);
    }
    for (const m of group) done[m] = 1;
    // A lone modality is floored as it is read; a group's product was floored factor by factor.
    const single = group.length === 1 ? distributions[first] : undefined;
    const factors =
      single ??
      (products = multiplied(products ?? new Float64Array(logits.length), distributions, group, floor));
    const least = single === undefined ? 0 : floor;
    for (let y = 0; y < logits.length; y++) {
      const p = factors[y] ?? 1;
      logits[y] = (logits[y] ?? 0) + weight * Math.log(p > least ? p : least);
    }
  }
}

/** `Π_{m ∈ group} max(p_m(y), floor)` into `products`, modality by modality (each loop reads one array through). */
function multiplied(
  products: Float64Array,
  distributions: readonly Scores[],
  group: readonly number[],
  floor: number,
): Float64Array {
  products.fill(1);
  for (const m of group) {
    const scores = distributions[m] ?? products;
    for (let y = 0; y < products.length; y++) {
      const p = scores[y] ?? 0;
      products[y] = (products[y] ?? 0) * (p > floor ? p : floor);
    }
  }
  return products;
}

/** The index of the largest score; the first one on ties, so the task's label order decides. */
export function argmax(scores: Scores): number {
  let best = 0;
  for (let i = 1; i < scores.length; i++) if ((scores[i] ?? 0) > (scores[best] ?? 0)) best = i;
  return best;
}
