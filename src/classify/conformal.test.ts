/**
 * @module
 * Conformal sets and abstention in one item's answer: refit's calibration (`fitConformal`) per modality and per
 * pattern of fused modalities, the fused set only where the calibration matches what was fused, and `label: null`
 * with the reason and the scores when a condition of `abstain` is met.
 */
import { describe, expect, it } from 'vitest';
import { fitConformal, maxConformalCases, patternOf } from '../conformal/fit.ts';
import type { Task } from '../tasks/schema.ts';
import { prototypeHead } from '../../test/edge/colour-task.ts';
import { decideItem, type ItemPlan, type Outcome } from './decide.ts';

const head = prototypeHead('m', 2);
const labels = ['cat', 'dog', 'fox'];
const weights = { text: 1, image: 1 };

/** 30 held-out cases with both modalities and 3 with text alone; the true label scored 0.6 by each. */
const cases = [
  ...Array.from({ length: 30 }, (_, i) => {
    const label = i % 3;
    const scores = labels.map((_, j) => (j === label ? 0.6 : 0.2));
    return { label, scores: { text: scores, image: scores } };
  }),
  ...Array.from({ length: 3 }, () => ({ label: 0, scores: { text: [0.6, 0.2, 0.2] } })),
];
const conformal = fitConformal(cases, { weights });

const task: Task = {
  id: 'pets',
  labels,
  modalities: { text: head, image: head },
  fusion: { strategy: 'weighted', weights },
  conformal,
  version: 2,
  nextExample: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};
const fusion = { strategy: 'weighted', weights, topK: 3 };

function plan(extra: Partial<ItemPlan> = {}): ItemPlan {
  return { at: 'inputs', fusion, strict: false, coverage: 0.9, ...extra };
}

const both = new Map<string, Outcome>([
  ['text', { kind: 'scores', scores: [0.7, 0.2, 0.1] }],
  ['image', { kind: 'scores', scores: [0.5, 0.3, 0.2] }],
]);

describe('fitConformal', () => {
  it('keeps the scores per modality and per strategy and pattern of fused modalities', () => {
    expect(conformal.modalities.text?.scores).toHaveLength(33);
    expect(conformal.modalities.image?.scores).toHaveLength(30);
    expect(Object.keys(conformal.fused.weighted ?? {}).sort()).toEqual(['image+text', 'text']);
    expect(conformal.fused.weighted?.[patternOf(['text', 'image'])]?.scores).toHaveLength(30);
    expect(conformal.fused.stacking).toBeDefined();
    // The true label always ranked first: no mass above it.
    expect(new Set(conformal.modalities.text?.scores)).toEqual(new Set([0]));
  });

  it('keeps an even spread of at most its bound of cases', () => {
    const many = Array.from({ length: 2500 }, () => cases[0] ?? { label: 0, scores: {} });
    expect(fitConformal(many, { weights }).modalities.text?.scores.length).toBeLessThanOrEqual(
      maxConformalCases,
    );
  });
});

describe('an answer with coverage', () => {
  it('adds the fused set and each modality’s, with the calibration they rest on', () => {
    const answer = decideItem(task, both, plan());
    expect(answer.label).toBe('cat');
    expect(answer.set).toEqual(['cat']);
    expect(answer.conformal).toMatchObject({
      method: 'aps-class-conditional',
      examples: 30,
      modalities: ['text', 'image'],
    });
    expect(answer.modalities.text?.conformal).toMatchObject({
      method: 'aps-class-conditional',
      examples: 33,
    });
    // image: cat has nothing above it, dog has 0.5, over the threshold 0.
    expect(answer.modalities.image?.set).toEqual(['cat']);
    expect(answer.abstained).toBeUndefined();
  });

  it('answers every label, with why, when the calibration does not match what was fused', () => {
    const textOnly = new Map<string, Outcome>([['text', { kind: 'scores', scores: [0.1, 0.2, 0.7] }]]);
    const lone = decideItem(task, textOnly, plan());
    expect(lone.set).toEqual(['fox', 'dog', 'cat']);
    expect(lone.conformal).toMatchObject({ method: 'all-labels', reason: 'too-few-examples', examples: 3 });
    const reweighted = decideItem(
      task,
      both,
      plan({ fusion: { ...fusion, weights: { text: 2, image: 1 } } }),
    );
    expect(reweighted.conformal?.reason).toBe('fusion-differs');
    const cascade = { order: ['text', 'image'], stop_at: 0.9 };
    expect(decideItem(task, both, plan({ fusion: { ...fusion, cascade } })).conformal?.reason).toBe(
      'cascade',
    );
    const bare = { ...task, conformal: undefined };
    expect(decideItem(bare, both, plan()).conformal?.reason).toBe('not-calibrated');
  });

  it('has no set without a coverage', () => {
    const answer = decideItem(task, both, plan({ coverage: undefined }));
    expect(answer.set).toBeUndefined();
    expect(answer.modalities.text?.set).toBeUndefined();
  });
});

describe('abstention', () => {
  it('drops the label, keeps the scores and says why', () => {
    const low = decideItem(task, both, plan({ abstain: { min_confidence: 0.9 } }));
    expect(low.label).toBeNull();
    expect(low.abstained?.reason).toBe('low-confidence');
    expect(low.scores[0]?.label).toBe('cat');
    const textOnly = new Map<string, Outcome>([['text', { kind: 'scores', scores: [0.1, 0.2, 0.7] }]]);
    const large = decideItem(task, textOnly, plan({ abstain: { max_set_size: 2 } }));
    expect(large.abstained).toMatchObject({
      reason: 'set-too-large',
      detail: expect.stringContaining('3 labels'),
    });
    const missing = decideItem(task, textOnly, plan({ abstain: { max_missing: 0 } }));
    expect(missing.abstained?.reason).toBe('too-many-missing');
  });

  it('answers when no condition is met', () => {
    const answer = decideItem(
      task,
      both,
      plan({ abstain: { max_set_size: 1, min_confidence: 0.5, max_missing: 0 } }),
    );
    expect(answer.label).toBe('cat');
    expect(answer.abstained).toBeUndefined();
  });
});
