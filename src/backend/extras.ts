/**
 * @module
 * What a model returns beside an embedding (a derived part's extra outputs: OCR's `text` and `confidence`), kept
 * beside the vector it came with rather than in every backend interface: the backend clients attach them
 * ({@link attachExtras}), the scoring stage reads them ({@link extrasOf}), and whatever passes a vector through
 * unchanged (a pool, routing) keeps them. A vector with extras is never cached (`embedding-cache.ts`), since the
 * cache keeps vectors only and a hit would lose what the model read.
 */

/** One extra output's value for one input: UTF-8 text, one number, or a row of numbers. */
export type Extra = string | number | readonly number[];

export type Extras = Readonly<Record<string, Extra>>;

const attached = new WeakMap<Float32Array, Extras>();

export function attachExtras(vector: Float32Array, extras: Extras): Float32Array {
  if (Object.keys(extras).length > 0) attached.set(vector, extras);
  return vector;
}

export function extrasOf(vector: Float32Array): Extras | undefined {
  return attached.get(vector);
}
