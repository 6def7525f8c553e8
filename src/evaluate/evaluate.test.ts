/**
 * @module
 * Metrics and evaluation by example: accuracy, macro-F1 and log-loss on known cases, single modalities scored on
 * the items that have them, every strategy scored, the recommendation, and out-of-fold fitting that never scores
 * an item with a head built from it.
 */
import { describe, expect, it } from 'vitest';
import { strategyNames } from '../fusion/registry.ts';
import { calibrate, fitFusion, maxCalibrationScores, outOfFold, spread } from './cross-validate.ts';
import { evaluateCases, type EvalCase } from './evaluate.ts';
import { logLossFloor, metricsOf } from './metrics.ts';

describe('metricsOf', () => {
  it('computes accuracy, macro-F1 and log-loss', () => {
    const m = metricsOf([
      { label: 0, scores: [0.8, 0.2] },
      { label: 0, scores: [0.4, 0.6] },
      { label: 1, scores: [0.1, 0.9] },
      { label: 1, scores: [0.3, 0.7] },
    ]);
    expect(m.n).toBe(4);
    expect(m.accuracy).toBe(0.75);
    // label 0: tp 1, fn 1 → F1 2/3; label 1: tp 2, fp 1 → F1 4/5.
    expect(m.macroF1).toBeCloseTo((2 / 3 + 4 / 5) / 2, 12);
    expect(m.logLoss).toBeCloseTo(-(Math.log(0.8) + Math.log(0.4) + Math.log(0.9) + Math.log(0.7)) / 4, 12);
  });

  it('clips zero probabilities and answers NaN for no items', () => {
    expect(metricsOf([{ label: 0, scores: [0, 1] }]).logLoss).toBeCloseTo(-Math.log(logLossFloor), 9);
    expect(metricsOf([]).accuracy).toBeNaN();
  });
});

const labels = ['a', 'b'];
const cases: EvalCase[] = [
  { label: 0, scores: { text: [0.9, 0.1], image: [0.4, 0.6] } },
  { label: 1, scores: { text: [0.45, 0.55], image: [0.2, 0.8] } },
  { label: 0, scores: { text: [0.3, 0.7], image: [0.95, 0.05] } },
  { label: 1, scores: { image: [0.3, 0.7] } },
];

describe('evaluateCases', () => {
  it('scores each modality on its items and each strategy on all, and recommends the best', () => {
    const evaluation = evaluateCases(labels, cases);
    expect(evaluation.modalities.map((r) => [r.name, r.n, r.accuracy])).toEqual([
      ['image', 4, 0.75],
      ['text', 3, 2 / 3],
    ]);
    expect(evaluation.strategies.map((r) => r.name)).toEqual(strategyNames);
    expect(evaluation.strategies.every((r) => r.n === 4)).toBe(true);
    const weighted = evaluation.strategies.find((r) => r.name === 'weighted');
    expect(weighted?.accuracy).toBe(1);
    const best = evaluation.strategies.find((r) => r.name === evaluation.recommended);
    expect(best?.macroF1).toBe(Math.max(...evaluation.strategies.map((r) => r.macroF1)));
  });

  it('leaves out of the strategies an item whose modalities all weigh 0', () => {
    const evaluation = evaluateCases(labels, cases, { weights: { image: 0 } });
    expect(evaluation.strategies[0]?.n).toBe(3);
    expect(evaluation.modalities.find((r) => r.name === 'image')?.n).toBe(4);
  });
});

describe('outOfFold', () => {
  const examples = (offset: number) =>
    Array.from({ length: 10 }, (_, item) => ({
      item,
      label: item % 2 === 0 ? 'a' : 'b',
      embedding: item % 2 === 0 ? [1, offset + item * 0.01] : [offset, 1 + item * 0.01],
    }));

  it('scores every item by heads built without it, one case per item', () => {
    const folded = outOfFold(labels, {
      text: { head: 'prototype', temperature: 0.1, examples: examples(0) },
      image: { head: 'linear', temperature: 0.1, examples: examples(0.2).slice(0, 6) },
    });
    expect(folded).toHaveLength(10);
    expect(folded.filter((c) => c.scores.image !== undefined)).toHaveLength(6);
    expect(folded.every((c) => (c.scores.text?.[c.label] ?? 0) > 0.5)).toBe(true);
  });

  it('gives an item seen by no other fold a head that has never seen its label', () => {
    // Only one "b" item: held out, its head has no "b" examples and must not score it "b".
    const lone = [
      { item: 0, label: 'a', embedding: [1, 0] },
      { item: 1, label: 'a', embedding: [0.9, 0.1] },
      { item: 2, label: 'b', embedding: [0, 1] },
    ];
    const folded = outOfFold(labels, { text: { head: 'prototype', temperature: 0.1, examples: lone } }, 3);
    const b = folded.find((c) => c.label === 1);
    expect((b?.scores.text?.[1] ?? 1) < 0.5).toBe(true);
  });

  it('fits a temperature per modality, a stacking model over two modalities or more, and calibrates', () => {
    const text = { head: 'prototype', temperature: 0.1, examples: examples(0) };
    const folded = outOfFold(labels, { text });
    const fitted = fitFusion(folded, labels.length);
    expect(Object.keys(fitted.temperatures)).toEqual(['text']);
    // A lone modality is never fused: nothing to stack.
    expect(fitted.stacking).toBeUndefined();
    const both = fitFusion(outOfFold(labels, { text, image: { ...text, examples: examples(0.2) } }), 2);
    expect(both.stacking?.bias).toHaveLength(2);
    const calibrated = calibrate(folded, { text: 2 });
    expect(calibrated[0]?.scores.text?.[0]).toBeLessThan(folded[0]?.scores.text?.[0] ?? 0);
    expect(() => fitFusion([], 2)).toThrow(RangeError);
  });

  it('fits temperatures on an even spread of the cases past its bound of scores, on all of them below it', () => {
    const cases = Array.from({ length: 30 }, (_, i) => i);
    expect(spread(cases, maxCalibrationScores / 40)).toEqual(cases);
    expect(spread(cases, maxCalibrationScores / 10)).toEqual(cases.filter((i) => i % 3 === 0));
  });
});
