import { describe, expect, it } from 'vitest';
import { attachExtras, extrasOf } from '../backend/extras.ts';
import { framesOf, poolFrameScores } from './frames.ts';
import { scoreAnswer } from './score.ts';
import type { Scorer } from '../heads/head.ts';

/** A head over 2-d embeddings: label 0's score is the first coordinate, label 1's the second. */
const identity = Object.assign((answer: unknown) => Array.from(answer as Float32Array), {
  consumes: 'embedding' as const,
}) as Scorer;

describe('video frame pooling', () => {
  it('reads the frames the mask marks, in order, and nothing from a malformed answer', () => {
    const extras = { frame_embeddings: [1, 2, 3, 4, 0, 0], frame_mask_out: [1, 1, 0] };
    expect(framesOf(extras, 2)).toEqual([Float32Array.of(1, 2), Float32Array.of(3, 4)]);
    expect(framesOf({ frame_embeddings: [1, 2, 3], frame_mask_out: [1, 1] }, 2)).toBeUndefined();
    expect(framesOf({ frame_embeddings: [0, 0], frame_mask_out: [0] }, 2)).toBeUndefined();
    expect(framesOf({ text: 'a sign' }, 2)).toBeUndefined();
    expect(framesOf(undefined, 2)).toBeUndefined();
  });

  it('weighs each frame by its top score: a sure frame outweighs a hesitant one', () => {
    const pooled = poolFrameScores([
      [0.9, 0.1],
      [0.4, 0.6],
    ]);
    // (0.9·0.9 + 0.6·0.4) / 1.5 = 0.7, where a plain mean would give 0.65.
    expect(pooled[0]).toBeCloseTo(0.7, 10);
    expect(pooled[1]).toBeCloseTo(0.3, 10);
  });

  it('scores an answer with frames frame by frame, and one without by its embedding', () => {
    const pooledEmbedding = Float32Array.of(0.5, 0.5);
    const withFrames = attachExtras(pooledEmbedding, {
      frame_embeddings: [1, 0, 0.5, 0.5, 0, 0],
      frame_mask_out: [1, 1, 0],
    });
    const extras = extrasOf(withFrames);
    const scores = scoreAnswer(identity, {
      kind: 'embedding',
      embedding: withFrames,
      ...(extras ? { extras } : {}),
    });
    expect(scores[0]).toBeCloseTo((1 * 1 + 0.5 * 0.5) / 1.5, 6);
    expect(scoreAnswer(identity, { kind: 'embedding', embedding: Float32Array.of(0.5, 0.5) })).toEqual([
      0.5, 0.5,
    ]);
  });
});
