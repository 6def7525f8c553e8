/**
 * @module
 * The prototype head: one centroid per label from L2-normalised example embeddings, scored as
 * `softmax(cos(e', c'_y) / T)`. The state is small and mergeable: per label, the sum of the normalised example
 * vectors (base64 float32) and their count, so folding more examples in never needs the old ones.
 *
 * Centring: vectors are shifted by the mean of all examples of the modality before the cosine, because some
 * models (the speech embedding) put every vector in a narrow cone around a shared offset, where raw cosines are
 * all close to 1 and say little. With fewer than two labels that have examples there is nothing to contrast,
 * so no centring is done.
 *
 * Labels without examples: every distribution covers all of the task's labels, so such a label is scored as if
 * its cosine were −1 (the least similar possible): it gets the smallest share, never zero and never more than a
 * label that has examples.
 *
 * As a head ({@link prototypeHead}) it scores the running sums every modality keeps as examples are taught, so
 * refit has nothing to fit for it; cross-validation builds sums from each training fold.
 */
import { decodeFloat32, encodeFloat32, l2Normalize, norm, type StoredVector } from '../vectors.ts';
import { defineHead, softmaxScorer, type Logits, type Scorer } from './head.ts';
import { RowMatrix } from './kernel/row-matrix.ts';

export const defaultTemperature = 0.1;

/** The cosine given to a label that has no examples yet. */
export const unseenLabelCosine = -1;

export interface PrototypeState<V extends StoredVector = string> {
  /** Per label with examples: the sum of its L2-normalised example embeddings, base64 little-endian float32. */
  readonly sums: Readonly<Record<string, V>>;
  /** Per label with examples: how many were summed. */
  readonly counts: Readonly<Record<string, number>>;
}

export interface LabelledEmbedding {
  readonly label: string;
  readonly embedding: ArrayLike<number>;
}

/** The head's vectors and a new embedding have different lengths: the model changed under the task. */
export class DimensionMismatchError extends Error {
  override readonly name = 'DimensionMismatchError';

  constructor(
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`the head holds ${expected}-dimensional vectors but the model gave ${actual}`);
  }
}

export function emptyPrototype(): PrototypeState {
  return { sums: {}, counts: {} };
}

export function exampleCount(state: PrototypeState<StoredVector>): number {
  return Object.values(state.counts).reduce((sum, count) => sum + count, 0);
}

function decodeSums(state: PrototypeState<StoredVector>): Map<string, Float64Array> {
  return new Map(
    Object.entries(state.sums).map(([label, sum]) => [label, Float64Array.from(decodeFloat32(sum))]),
  );
}

function dimensionOf(sums: ReadonlyMap<string, Float64Array>): number | undefined {
  for (const sum of sums.values()) return sum.length;
  return undefined;
}

/** A count by label; own properties only, so labels such as `constructor` are plain labels. */
function countOf(counts: Readonly<Record<string, number>>, label: string): number {
  return Object.hasOwn(counts, label) ? (counts[label] ?? 0) : 0;
}

/**
 * The sums of the labels the examples name, decoded; the others stay encoded as they are, so that a teach costs
 * what it adds, not what the task holds (thousands of labels).
 */
function touchedSums(
  state: PrototypeState,
  examples: readonly LabelledEmbedding[],
): Map<string, Float64Array> {
  const touched = new Map<string, Float64Array>();
  for (const { label } of examples) {
    const sum = Object.hasOwn(state.sums, label) ? state.sums[label] : undefined;
    if (sum !== undefined && !touched.has(label)) touched.set(label, Float64Array.from(decodeFloat32(sum)));
  }
  return touched;
}

/** The state's sums with the touched ones encoded again, and only the labels that still have a count. */
function withSums(
  state: PrototypeState,
  touched: ReadonlyMap<string, Float64Array>,
  counts: ReadonlyMap<string, number>,
): PrototypeState {
  const sums: Record<string, string> = {};
  for (const [label, sum] of Object.entries(state.sums)) if (counts.has(label)) sums[label] = sum;
  for (const [label, sum] of touched) if (counts.has(label)) sums[label] = encodeFloat32(sum);
  return { sums, counts: Object.fromEntries(counts) };
}

/** The dimension of the state's vectors (of its first sum), if it has any. */
function storedDimension(state: PrototypeState): number | undefined {
  for (const sum of Object.values(state.sums)) return decodeFloat32(sum).length;
  return undefined;
}

/** Folds labelled embeddings into the state; returns a new state. */
export function addExamples(state: PrototypeState, examples: readonly LabelledEmbedding[]): PrototypeState {
  const sums = touchedSums(state, examples);
  const counts = new Map(Object.entries(state.counts));
  let expected = storedDimension(state);
  for (const { label, embedding } of examples) {
    expected ??= embedding.length;
    if (embedding.length !== expected) throw new DimensionMismatchError(expected, embedding.length);
    const unit = l2Normalize(embedding);
    const sum = sums.get(label) ?? new Float64Array(unit.length);
    for (let i = 0; i < unit.length; i++) sum[i] = (sum[i] ?? 0) + (unit[i] ?? 0);
    sums.set(label, sum);
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return withSums(state, sums, counts);
}

/**
 * Takes labelled embeddings that were added before back out of the state (their normalised vectors are
 * subtracted, up to float32 rounding); a label left with no examples disappears. Returns a new state.
 */
export function removeExamples(
  state: PrototypeState,
  examples: readonly LabelledEmbedding[],
): PrototypeState {
  const sums = touchedSums(state, examples);
  const counts = new Map(Object.entries(state.counts));
  for (const { label, embedding } of examples) {
    const sum = sums.get(label);
    const count = counts.get(label) ?? 0;
    if (sum === undefined || count === 0) continue;
    if (embedding.length !== sum.length) throw new DimensionMismatchError(sum.length, embedding.length);
    const unit = l2Normalize(embedding);
    for (let i = 0; i < unit.length; i++) sum[i] = (sum[i] ?? 0) - (unit[i] ?? 0);
    if (count === 1) counts.delete(label);
    else counts.set(label, count - 1);
  }
  return withSums(state, sums, counts);
}

/** The mean of all examples, or a zero vector when fewer than two labels have examples. */
function centreOf(
  sums: ReadonlyMap<string, Float64Array>,
  counts: Readonly<Record<string, number>>,
  dim: number,
) {
  const centre = new Float64Array(dim);
  if (sums.size < 2) return centre;
  let total = 0;
  for (const [label, sum] of sums) {
    total += countOf(counts, label);
    for (let i = 0; i < dim; i++) centre[i] = (centre[i] ?? 0) + (sum[i] ?? 0);
  }
  return centre.map((value) => value / total);
}

function minus(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: a.length }, (_, i) => (a[i] ?? 0) - (b[i] ?? 0));
}

/**
 * The centroids as unit rows of one matrix (`kernel/row-matrix.ts`; a zero centroid stays zero), and which labels
 * have one: scoring is then the matrix times the query, one dot product per label (tasks of thousands of labels:
 * the rows are most of the time, and of what the edge keeps).
 */
function unitCentroids(
  state: PrototypeState<StoredVector>,
  sums: ReadonlyMap<string, Float64Array>,
  labels: readonly string[],
  centre: Float64Array,
) {
  const dim = centre.length;
  const rows = new RowMatrix(labels.length, dim);
  const row = new Float64Array(dim);
  const seen = new Uint8Array(labels.length);
  labels.forEach((label, y) => {
    const sum = sums.get(label);
    const count = countOf(state.counts, label);
    if (sum === undefined || count === 0) return;
    seen[y] = 1;
    for (let i = 0; i < dim; i++) row[i] = (sum[i] ?? 0) / count - (centre[i] ?? 0);
    rows.setRow(y, row, 1 / (norm(row) || 1));
  });
  return { rows, seen };
}

/**
 * The cosine of an embedding to each label's centroid, aligned with `labels` ({@link unseenLabelCosine} for a label
 * without examples). Throws a RangeError for a state without examples (report the modality as missing instead).
 */
export function prototypeCosines(state: PrototypeState<StoredVector>, labels: readonly string[]): Logits {
  const sums = decodeSums(state);
  const dim = dimensionOf(sums);
  if (dim === undefined) throw new RangeError('the head has no examples');
  const centre = centreOf(sums, state.counts, dim);
  const { rows, seen } = unitCentroids(state, sums, labels, centre);
  const allSeen = seen.every((flag) => flag === 1);
  return (embedding) => {
    if (embedding.length !== dim) throw new DimensionMismatchError(dim, embedding.length);
    const query = minus(l2Normalize(embedding), centre);
    const length = norm(query);
    if (length > 0) for (let i = 0; i < dim; i++) query[i] = (query[i] ?? 0) / length;
    const cosines = rows.times(query);
    if (!allSeen) for (let y = 0; y < labels.length; y++) if (!seen[y]) cosines[y] = unseenLabelCosine;
    return cosines;
  };
}

/** Label scores for one embedding: {@link prototypeScorer} applied once. */
export function scorePrototype(
  state: PrototypeState<StoredVector>,
  labels: readonly string[],
  embedding: ArrayLike<number>,
  temperature = defaultTemperature,
): number[] {
  return prototypeScorer(state, labels, temperature)(embedding);
}

/**
 * A scorer giving label scores aligned with `labels`, summing to 1: `softmax(cos / T)`. Throws a RangeError for a
 * non-positive temperature or a state without examples.
 */
export function prototypeScorer(
  state: PrototypeState<StoredVector>,
  labels: readonly string[],
  temperature = defaultTemperature,
): Scorer<'embedding'> {
  return softmaxScorer(prototypeCosines(state, labels), 1 / temperature);
}

export const prototypeHead = defineHead({
  name: 'prototype',
  description: 'Class centroids of the L2-normalised example embeddings: softmax(cos(e, c_y) / T).',
  consumes: 'embedding',
  fit: (examples) => ({ prototype: addExamples(emptyPrototype(), examples) }),
  scorer(fields, labels, modality) {
    if (exampleCount(fields.prototype) === 0)
      return { reason: 'no-examples', detail: `no ${modality} examples yet` };
    return prototypeScorer(fields.prototype, labels, fields.temperature);
  },
});
