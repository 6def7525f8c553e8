/**
 * @module
 * Scores of a video's frames pooled into the video's scores. A model that samples frames (`video.frames`) returns,
 * beside its pooled embedding, each frame's embedding (`frame_embeddings`, F × D in one row) and which of the F
 * slots hold a frame (`frame_mask_out`). The head scores every frame, and the video's scores are the
 * confidence-weighted mean of the frames' scores, each frame weighing its top score: a frame where the head is sure
 * (the object in view) counts more than one where it hesitates (a cut, a blur, a title card). Scoring the mean
 * embedding instead would blend distinct shots into a vector none of them is near; a plain mean of the frames'
 * scores would let the hesitant frames dilute the sure ones. Frames do not vote: a video whose frames are split
 * between two labels gets scores split between them.
 */
import type { Extras } from '../backend/extras.ts';

/** The frames of `extras`, each a D-dimensional vector, or undefined when the answer carries none. */
export function framesOf(extras: Extras | undefined, dimension: number): Float32Array[] | undefined {
  const rows = extras?.frame_embeddings;
  const mask = extras?.frame_mask_out;
  if (!Array.isArray(rows) || dimension <= 0) return undefined;
  const slots = Array.isArray(mask) ? mask : typeof mask === 'number' ? [mask] : [];
  if (slots.length * dimension !== rows.length) return undefined;
  const frames = slots.flatMap((present, i) =>
    present > 0 ? [Float32Array.from(rows.slice(i * dimension, (i + 1) * dimension))] : [],
  );
  return frames.length > 0 ? frames : undefined;
}

/** The confidence-weighted mean of the frames' scores (weights: each frame's top score, at least a tiny floor). */
export function poolFrameScores(perFrame: readonly (readonly number[])[]): number[] {
  const labels = perFrame[0]?.length ?? 0;
  const pooled = new Array<number>(labels).fill(0);
  let total = 0;
  for (const scores of perFrame) {
    const weight = Math.max(1e-6, ...scores);
    total += weight;
    scores.forEach((score, label) => (pooled[label] = (pooled[label] ?? 0) + weight * score));
  }
  return pooled.map((sum) => sum / total);
}
