/**
 * @module
 * The linear head: `softmax(W e' + b)` over the L2-normalised embedding `e'`. Its weights are either given in the
 * task (trained elsewhere) or fitted from the task's stored examples by L2-regularised multinomial logistic
 * regression (L-BFGS, pure and deterministic). Where the prototype head draws one centroid per label, this one
 * learns which dimensions tell the labels apart, which pays when the labels are many or not spherical clusters.
 * Given weights name the head when a request names none; they are kept by any head that reads embeddings.
 */
import { softmax } from '../distribution.ts';
import { ApiError } from '../problem.ts';
import { decodeFloat32, encodeFloat32, l2Normalize, type StoredVector } from '../vectors.ts';
import { defineHead, softmaxScorer, type GivenOptions, type Scorer } from './head.ts';
import { RowMatrix } from './kernel/row-matrix.ts';
import { minimize } from './optimize.ts';
import { DimensionMismatchError, type LabelledEmbedding } from './prototype.ts';

/** Stored in the task: `W` as base64 float32, row-major `[labels × dimension]`, and `b` per label. */
export interface LinearState<V extends StoredVector = string> {
  readonly dimension: number;
  readonly weights: V;
  readonly bias: number[];
}

export interface LinearFitOptions {
  /** L2 penalty on the weights (default 1e-3): `λ/2 · |W|²` added to the mean log-loss. */
  readonly l2?: number;
  /** Most L-BFGS steps (default 100). */
  readonly iterations?: number;
}

interface Design {
  readonly x: Float64Array[];
  readonly y: number[];
  readonly dimension: number;
}

function designOf(examples: readonly LabelledEmbedding[], labels: readonly string[]): Design {
  const dimension = examples[0]?.embedding.length ?? 0;
  const x = examples.map(({ embedding }) => {
    if (embedding.length !== dimension) throw new DimensionMismatchError(dimension, embedding.length);
    return l2Normalize(embedding);
  });
  const y = examples.map(({ label }) => labels.indexOf(label));
  if (y.some((index) => index < 0)) throw new RangeError('every example must carry one of the labels');
  return { x, y, dimension };
}

/** Logits `W x + b` with `params = [W (K×D) | b (K)]`. */
function logitsOf(
  params: ArrayLike<number>,
  x: ArrayLike<number>,
  labels: number,
  dimension: number,
): number[] {
  return Array.from({ length: labels }, (_, k) => {
    let sum = params[labels * dimension + k] ?? 0;
    for (let d = 0; d < dimension; d++) sum += (params[k * dimension + d] ?? 0) * (x[d] ?? 0);
    return sum;
  });
}

function objectiveFor({ x, y, dimension }: Design, labels: number, l2: number) {
  return (params: Float64Array) => {
    const gradient = new Float64Array(params.length);
    let value = 0;
    x.forEach((row, n) => {
      const q = softmax(logitsOf(params, row, labels, dimension));
      const truth = y[n] ?? 0;
      value -= Math.log(Math.max(q[truth] ?? 0, 1e-300));
      for (let k = 0; k < labels; k++) {
        const residual = (q[k] ?? 0) - (k === truth ? 1 : 0);
        gradient[labels * dimension + k] = (gradient[labels * dimension + k] ?? 0) + residual;
        for (let d = 0; d < dimension; d++) {
          gradient[k * dimension + d] = (gradient[k * dimension + d] ?? 0) + residual * (row[d] ?? 0);
        }
      }
    });
    const n = x.length;
    for (let i = 0; i < params.length; i++) {
      const penalised = i < labels * dimension ? l2 * (params[i] ?? 0) : 0;
      gradient[i] = (gradient[i] ?? 0) / n + penalised;
      value += i < labels * dimension ? (l2 * n * (params[i] ?? 0) ** 2) / 2 : 0;
    }
    return { value: value / n, gradient };
  };
}

/** Fits `W, b` to labelled embeddings; throws a RangeError without examples or for a label not in `labels`. */
export function fitLinear(
  examples: readonly LabelledEmbedding[],
  labels: readonly string[],
  options: LinearFitOptions = {},
): LinearState {
  if (examples.length === 0) throw new RangeError('the linear head needs examples to fit');
  const design = designOf(examples, labels);
  const size = labels.length * design.dimension + labels.length;
  const params = minimize(objectiveFor(design, labels.length, options.l2 ?? 1e-3), new Float64Array(size), {
    iterations: options.iterations ?? 100,
  });
  return {
    dimension: design.dimension,
    weights: encodeFloat32(params.subarray(0, labels.length * design.dimension)),
    bias: Array.from(params.subarray(labels.length * design.dimension)),
  };
}

/** Scores one embedding with a linear state; decodes `W` once. Throws a RangeError if `W` does not fit the labels. */
export function linearScorer(
  state: LinearState<StoredVector>,
  labels: readonly string[],
): Scorer<'embedding'> {
  const weights = decodeFloat32(state.weights);
  if (weights.length !== labels.length * state.dimension || state.bias.length !== labels.length) {
    throw new RangeError(
      `linear weights must be ${labels.length} × ${state.dimension} with ${labels.length} biases`,
    );
  }
  const matrix = new RowMatrix(labels.length, state.dimension);
  for (let k = 0; k < labels.length; k++)
    matrix.setRow(k, weights.subarray(k * state.dimension, (k + 1) * state.dimension));
  return softmaxScorer((embedding) => {
    if (embedding.length !== state.dimension)
      throw new DimensionMismatchError(state.dimension, embedding.length);
    const logits = matrix.times(l2Normalize(embedding));
    for (let k = 0; k < labels.length; k++) logits[k] = (logits[k] ?? 0) + (state.bias[k] ?? 0);
    return logits;
  }, 1);
}

/** Weights trained elsewhere: one row per label, all of one length, and a bias per label (default 0). */
function givenLinear(
  at: string,
  given: NonNullable<GivenOptions['linear']>,
  labels: readonly string[],
): LinearState {
  const dimension = given.weights[0]?.length ?? 0;
  const bias = given.bias ?? labels.map(() => 0);
  if (
    given.weights.length !== labels.length ||
    given.weights.some((row) => row.length !== dimension) ||
    bias.length !== labels.length
  ) {
    const detail = `${at}.linear: weights need one row per label (${labels.length}), all of the same length, and as many biases`;
    throw new ApiError(400, 'invalid-linear-head', detail);
  }
  return { dimension, weights: encodeFloat32(given.weights.flat()), bias: [...bias] };
}

export const linearHead = defineHead({
  name: 'linear',
  description:
    'softmax(W e + b) over the L2-normalised embedding: weights given in the task, or fitted by refit.',
  consumes: 'embedding',
  options: {
    names: ['linear'],
    title: 'linear weights',
    keptByEmbeddingHeads: true,
    chooseOwner: true,
    read: ({ at, given, labels }) => (given.linear ? { linear: givenLinear(at, given.linear, labels) } : {}),
  },
  fit: (examples, labels) => ({ linear: fitLinear(examples, labels) }),
  fitOnRefit: true,
  scorer(fields, labels, modality) {
    if (fields.linear === undefined)
      return {
        reason: 'not-fitted',
        detail: `the linear ${modality} head has no weights yet: refit the task`,
      };
    return linearScorer(fields.linear, labels);
  },
});
