/**
 * @module
 * Feature-level fusion: one vector for a multimodal item, from its per-modality embeddings. Each embedding is
 * L2-normalised, then either
 * - `concat`: scaled by `√w_m` and concatenated — the cosine of two fused vectors is then exactly the weighted mean
 *   of the per-modality cosines (`Σ w_m cos_m / Σ w_m`); its length is the sum of the models' dimensions; or
 * - `mean`: projected to `dimensions` by a count sketch (each input coordinate goes to one output coordinate with a
 *   random sign, both from a hash of the model name and the coordinate, so no matrix is stored) and averaged with
 *   weights. Sketches of different models are independent, so cross-modality terms vanish in expectation and the
 *   cosine approximates the same weighted mean of per-modality cosines in a fixed, smaller size. When every
 *   embedding lives in one space (one model, or models declaring one embedding space, as USE-lite and ConSE
 *   images), `mean` is instead the weighted mean direction of the embeddings themselves, in that space: a vector
 *   that compares with any other of the space (a text's, an image's), which a sketch would not.
 * Use it to index and search multimodal items by similarity (one vector per item in a vector store); use
 * decision-level fusion to classify against a task's labels.
 */
import { l2Normalize, meanDirection } from '../vectors.ts';

export const featureMethods = ['mean', 'concat'] as const;

export type FeatureMethod = (typeof featureMethods)[number];

export const defaultFusedDimensions = 256;

export interface ModalityVector {
  readonly modality: string;
  /** The model that made it: sketches are keyed by it, so the same model always projects the same way. */
  readonly model: string;
  readonly embedding: ArrayLike<number>;
  /** ≥ 0; default 1. */
  readonly weight?: number;
}

/** FNV-1a of the model name and a coordinate: a stable 32-bit hash. */
function hash(model: string, coordinate: number): number {
  let h = 0x811c9dc5;
  const text = `${model}#${coordinate}`;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The count sketch of a unit vector into `dimensions` coordinates. */
export function sketch(model: string, vector: ArrayLike<number>, dimensions: number): Float64Array {
  const out = new Float64Array(dimensions);
  for (let i = 0; i < vector.length; i++) {
    const h = hash(model, i);
    const sign = h & 1 ? 1 : -1;
    const bucket = (h >>> 1) % dimensions;
    out[bucket] = (out[bucket] ?? 0) + sign * (vector[i] ?? 0);
  }
  return out;
}

const vectorsOf = (vectors: readonly ModalityVector[]) => vectors.map((v) => v.embedding);

function weightsOf(vectors: readonly ModalityVector[]): number[] {
  const weights = vectors.map((v) => v.weight ?? 1);
  if (weights.some((w) => !Number.isFinite(w) || w < 0))
    throw new RangeError('weights must be finite and >= 0');
  const total = weights.reduce((sum, w) => sum + w, 0);
  if (!(total > 0)) throw new RangeError('no modality with a positive weight to fuse');
  return weights.map((w) => w / total);
}

/**
 * One L2-normalised vector for the item; `oneSpace` says every embedding shares one space (see the module's
 * notes). Throws a RangeError without a positive weight or for bad dimensions.
 */
export function fuseFeatures(
  vectors: readonly ModalityVector[],
  method: FeatureMethod,
  dimensions = defaultFusedDimensions,
  oneSpace = false,
): Float64Array {
  const weights = weightsOf(vectors);
  if (method === 'mean' && oneSpace) return meanDirection(vectorsOf(vectors), weights);
  if (method === 'concat') {
    const parts = vectors.map((v, m) => l2Normalize(v.embedding).map((x) => x * Math.sqrt(weights[m] ?? 0)));
    const out = new Float64Array(parts.reduce((sum, p) => sum + p.length, 0));
    let offset = 0;
    for (const part of parts) {
      out.set(part, offset);
      offset += part.length;
    }
    return l2Normalize(out);
  }
  if (!Number.isInteger(dimensions) || dimensions < 1)
    throw new RangeError('dimensions must be a positive integer');
  const out = new Float64Array(dimensions);
  vectors.forEach((v, m) => {
    const projected = sketch(v.model, l2Normalize(v.embedding), dimensions);
    for (let i = 0; i < dimensions; i++) out[i] = (out[i] ?? 0) + (weights[m] ?? 0) * (projected[i] ?? 0);
  });
  return l2Normalize(out);
}
