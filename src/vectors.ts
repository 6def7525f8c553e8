/**
 * @module
 * Small vector helpers shared by the heads and the embeddings route, plus the compact wire form of a vector:
 * base64 of little-endian float32, as OpenAI's `encoding_format: "base64"` uses and as tasks store prototypes.
 */
import { decodeBase64, encodeBase64 } from './base64.ts';

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] ?? 0) * (b[i] ?? 0);
  return sum;
}

export function norm(a: ArrayLike<number>): number {
  return Math.sqrt(dot(a, a));
}

/** `a / |a|`; the zero vector stays zero (it has no direction to keep). */
export function l2Normalize(a: ArrayLike<number>): Float64Array {
  const length = norm(a);
  const out = Float64Array.from(a);
  if (length > 0) for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) / length;
  return out;
}

/** Cosine similarity; 0 when either vector is zero. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const lengths = norm(a) * norm(b);
  return lengths > 0 ? dot(a, b) / lengths : 0;
}

export function encodeFloat32(values: ArrayLike<number>): string {
  const view = new DataView(new ArrayBuffer(values.length * 4));
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i] ?? 0, true);
  return encodeBase64(new Uint8Array(view.buffer));
}

/**
 * A vector of a task's heads: base64 float32 as stored (JSON), or the typed array a task's Durable Object sends
 * the edge (structured clone carries it as it is: `tasks/heads-wire.ts`).
 */
export type StoredVector = string | Float32Array;

/**
 * Decodes {@link encodeFloat32}'s output (a typed array is already decoded); throws a TypeError on anything else
 * (stored data is ours).
 */
export function decodeFloat32(vector: StoredVector): Float32Array {
  if (typeof vector !== 'string') return vector;
  const bytes = decodeBase64(vector);
  if (bytes === undefined || bytes.length % 4 !== 0) throw new TypeError('not a base64 float32 vector');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/**
 * The direction of `Σ w_i v_i / |v_i|` (equal weights unless given), as a unit vector: the mean of vectors that
 * live in one space, each counted by its direction only. Throws a RangeError for vectors of different lengths.
 */
export function meanDirection(
  vectors: readonly ArrayLike<number>[],
  weights?: readonly number[],
): Float64Array {
  const length = vectors[0]?.length ?? 0;
  if (vectors.some((vector) => vector.length !== length))
    throw new RangeError('vectors of different lengths have no mean');
  const sum = new Float64Array(length);
  vectors.forEach((vector, v) => {
    const unit = l2Normalize(vector);
    const weight = weights?.[v] ?? 1;
    for (let i = 0; i < length; i++) sum[i] = (sum[i] ?? 0) + weight * (unit[i] ?? 0);
  });
  return l2Normalize(sum);
}
