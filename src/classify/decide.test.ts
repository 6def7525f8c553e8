/**
 * @module
 * Assembling one item's answer from per-modality outcomes: the breakdown, `missing` in task order, the fused
 * scores, and the refusals when there is nothing to fuse.
 */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../problem.ts';
import type { Task } from '../tasks/schema.ts';
import { prototypeHead } from '../../test/edge/colour-task.ts';
import { decideItem, type ItemPlan, type Outcome } from './decide.ts';

const head = prototypeHead('m', 2);
const task: Task = {
  id: 'pets',
  labels: ['cat', 'dog'],
  modalities: { text: head, image: head, audio: head },
  fusion: { strategy: 'weighted', weights: { text: 1, image: 1, audio: 1 } },
  version: 1,
  nextExample: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};
const equal = { strategy: 'weighted', weights: task.fusion.weights, topK: task.labels.length };

function plan(at = 'inputs', strict = false, fusion = equal): ItemPlan {
  return { at, fusion, strict };
}

function outcomes(entries: Record<string, Outcome>): Map<string, Outcome> {
  return new Map(Object.entries(entries));
}

function refusal(work: () => unknown): ApiError {
  try {
    work();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('no refusal');
}

describe('decideItem', () => {
  it('fuses the present modalities and reports the others as missing, in task order', () => {
    const result = decideItem(
      task,
      outcomes({
        image: { kind: 'scores', scores: [0.2, 0.8] },
        text: { kind: 'scores', scores: [0.6, 0.4] },
      }),
      plan(),
    );
    expect(result).toMatchObject({
      task: 'pets',
      label: 'dog',
      missing: [{ modality: 'audio', reason: 'absent' }],
    });
    expect(result.scores[0]?.score).toBeCloseTo(0.6, 12);
    expect(result.modalities).toEqual({
      text: {
        label: 'cat',
        scores: [
          { label: 'cat', score: 0.6 },
          { label: 'dog', score: 0.4 },
        ],
        weight: 0.5,
        // Of the winner's support 0.5·0.4 + 0.5·0.8, text gave 0.2.
        share: expect.closeTo(1 / 3, 12) as number,
      },
      image: {
        label: 'dog',
        scores: [
          { label: 'dog', score: 0.8 },
          { label: 'cat', score: 0.2 },
        ],
        weight: 0.5,
        share: expect.closeTo(2 / 3, 12) as number,
      },
    });
    expect(result.fusion).toEqual({ strategy: 'weighted', weights: { text: 0.5, image: 0.5 } });
  });

  it('passes a single modality through exactly', () => {
    const result = decideItem(task, outcomes({ text: { kind: 'scores', scores: [0.3, 0.7] } }), plan());
    expect(result.scores).toEqual(result.modalities.text?.scores);
  });

  it('keeps the reason and detail of a missing modality', () => {
    const result = decideItem(
      task,
      outcomes({
        text: { kind: 'scores', scores: [0.3, 0.7] },
        image: { kind: 'missing', reason: 'backend-unavailable', detail: 'down', retryAfter: 5 },
        audio: { kind: 'missing', reason: 'no-examples' },
      }),
      plan(),
    );
    expect(result.missing).toEqual([
      { modality: 'image', reason: 'backend-unavailable', detail: 'down' },
      { modality: 'audio', reason: 'no-examples' },
    ]);
  });

  it('answers 503 with the longest Retry-After when the backend is why nothing is left', () => {
    const error = refusal(() =>
      decideItem(
        task,
        outcomes({
          text: { kind: 'missing', reason: 'backend-unavailable', retryAfter: 2 },
          image: { kind: 'missing', reason: 'backend-unavailable', retryAfter: 7 },
        }),
        plan('items[1].inputs'),
      ),
    );
    expect(error).toMatchObject({ status: 503, code: 'backend-unavailable' });
    expect(error.options.headers).toEqual({ 'Retry-After': '7' });
    expect(error.message).toMatch(/^items\[1\]\.inputs: /);
  });

  it('answers 422 when the client gave nothing usable, or only zero-weight modalities', () => {
    const none = refusal(() => decideItem(task, outcomes({}), plan()));
    expect(none).toMatchObject({ status: 422, code: 'no-usable-modality' });
    const zero = refusal(() =>
      decideItem(
        task,
        outcomes({ text: { kind: 'scores', scores: [0.5, 0.5] } }),
        plan('inputs', false, { strategy: 'weighted', weights: { text: 0 }, topK: 2 }),
      ),
    );
    expect(zero).toMatchObject({ status: 422, code: 'no-usable-modality' });
  });

  const broken = (modality: string, status: 415 | 422, code: string, why: string): Outcome => ({
    kind: 'refused',
    problem: new ApiError(status, code, `inputs.${modality}: ${why}`, {
      extensions: { input: `inputs.${modality}` },
    }),
  });

  it('answers from the usable modalities, a refused input missing with its problem, renormalising', () => {
    const result = decideItem(
      task,
      outcomes({
        text: { kind: 'scores', scores: [0.3, 0.7] },
        image: { kind: 'scores', scores: [0.2, 0.8] },
        audio: broken('audio', 422, 'malformed', 'WAV could not be read'),
      }),
      plan(),
    );
    expect(result.missing).toEqual([
      {
        modality: 'audio',
        reason: 'invalid-input',
        type: '/problems/malformed',
        title: 'Unprocessable Content',
        status: 422,
        detail: 'inputs.audio: WAV could not be read',
        code: 'malformed',
      },
    ]);
    expect(result.fusion.weights).toEqual({ text: 0.5, image: 0.5 });
    expect(result.scores).toEqual([
      { label: 'dog', score: expect.closeTo(0.75, 12) as number },
      { label: 'cat', score: expect.closeTo(0.25, 12) as number },
    ]);
  });

  it('refuses the item with the refused input when it asks to be strict', () => {
    const error = refusal(() =>
      decideItem(
        task,
        outcomes({
          text: { kind: 'scores', scores: [0.3, 0.7] },
          audio: broken('audio', 422, 'malformed', 'WAV could not be read'),
        }),
        plan('inputs', true),
      ),
    );
    expect(error).toMatchObject({
      status: 422,
      code: 'malformed',
      message: 'inputs.audio: WAV could not be read',
    });
    expect(error.options.extensions).toMatchObject({
      input: 'inputs.audio',
      invalid: [{ input: 'inputs.audio', status: 422, code: 'malformed' }],
      missing: [
        { modality: 'image', reason: 'absent' },
        { modality: 'audio', reason: 'invalid-input' },
      ],
    });
  });

  it('refuses an item whose every input was refused with the first one, in task order, naming each', () => {
    const error = refusal(() =>
      decideItem(
        task,
        outcomes({
          audio: broken('audio', 422, 'malformed', 'WAV could not be read'),
          image: broken('image', 415, 'unsupported-type', 'image bytes are image/bmp'),
        }),
        plan(),
      ),
    );
    expect(error).toMatchObject({ status: 415, code: 'unsupported-type' });
    expect(error.message).toBe(
      '2 inputs could not be used: inputs.image: image bytes are image/bmp; inputs.audio: WAV could not be read',
    );
    expect(error.options.extensions?.invalid).toEqual([
      {
        input: 'inputs.image',
        status: 415,
        code: 'unsupported-type',
        detail: 'inputs.image: image bytes are image/bmp',
      },
      {
        input: 'inputs.audio',
        status: 422,
        code: 'malformed',
        detail: 'inputs.audio: WAV could not be read',
      },
    ]);
  });

  it('answers 503 rather than the refusal when the backend is also why nothing is left: a retry may answer it', () => {
    const error = refusal(() =>
      decideItem(
        task,
        outcomes({
          text: { kind: 'missing', reason: 'backend-unavailable', retryAfter: 3 },
          audio: broken('audio', 422, 'malformed', 'WAV could not be read'),
        }),
        plan(),
      ),
    );
    expect(error).toMatchObject({ status: 503, code: 'backend-unavailable' });
    expect(error.options.extensions).toMatchObject({ retryAfter: 3 });
  });
});
