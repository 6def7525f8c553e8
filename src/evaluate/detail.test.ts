/**
 * @module
 * The evaluation view's numbers on cases worked out by hand: the sparse confusion matrix, precision/recall/F1 per
 * label, reliability bins with and without the refit's temperatures, and each modality's share of the decisions.
 */
import { describe, expect, it } from 'vitest';
import { applyTemperature } from '../heads/calibration.ts';
import { binsOf, decisionDetail, reliabilityBins, uncalibrate } from './detail.ts';
import type { EvalCase } from './evaluate.ts';

const labels = ['a', 'b', 'c'];
// Weighted fusion of text and image, equal weights: the fused best label is written beside each case.
const cases: EvalCase[] = [
  { label: 0, scores: { text: [0.9, 0.05, 0.05], image: [0.7, 0.2, 0.1] } }, // a (0.8), both agree
  { label: 0, scores: { text: [0.2, 0.7, 0.1], image: [0.6, 0.3, 0.1] } }, // b (0.5), text agrees
  { label: 1, scores: { text: [0.1, 0.8, 0.1], image: [0.1, 0.6, 0.3] } }, // b (0.7), both agree
  { label: 2, scores: { image: [0.3, 0.1, 0.6] } }, // c (0.6), image alone
];

describe('decisionDetail', () => {
  const detail = decisionDetail(labels, cases, 'weighted', { text: 1, image: 1 });

  it('counts the confusion matrix cells that occur, and nothing else', () => {
    expect(detail.n).toBe(4);
    expect(detail.confusion).toEqual(
      expect.arrayContaining([
        { truth: 'a', predicted: 'a', count: 1 },
        { truth: 'a', predicted: 'b', count: 1 },
        { truth: 'b', predicted: 'b', count: 1 },
        { truth: 'c', predicted: 'c', count: 1 },
      ]),
    );
    expect(detail.confusion).toHaveLength(4);
  });

  it('gives precision, recall and F1 per label', () => {
    const [a, b, c] = detail.perLabel;
    expect(a).toEqual({ label: 'a', support: 2, precision: 1, recall: 0.5, f1: 2 / 3 });
    expect(b).toEqual({ label: 'b', support: 1, precision: 0.5, recall: 1, f1: 2 / 3 });
    expect(c).toEqual({ label: 'c', support: 1, precision: 1, recall: 1, f1: 1 });
  });

  it('bins the fused confidence against the accuracy', () => {
    const { calibrated, ece } = detail.reliability;
    expect(calibrated).toHaveLength(reliabilityBins);
    const filled = calibrated.filter((b) => b.n > 0).map((b) => [b.lower, b.n, b.accuracy]);
    // 0.5 (wrong) → [0.5, 0.6); 0.6 → [0.6, 0.7); 0.7 → [0.7, 0.8); 0.8 → [0.8, 0.9).
    expect(filled).toEqual([
      [0.5, 1, 0],
      [0.6, 1, 1],
      [0.7, 1, 1],
      [0.8, 1, 1],
    ]);
    expect(calibrated[0]?.confidence).toBeNaN();
    expect(ece.calibrated).toBeCloseTo((0.5 + 0.4 + 0.3 + 0.2) / 4, 6);
  });

  it('undoes the temperatures for the uncalibrated diagram', () => {
    const raw = [0.6, 0.3, 0.1];
    const [back] = uncalibrate([{ label: 0, scores: { text: applyTemperature(raw, 2) } }], { text: 2 });
    back?.scores.text?.forEach((p, i) => expect(p).toBeCloseTo(raw[i] ?? 0, 9));
    const sharp = decisionDetail(labels, cases, 'weighted', { text: 0.5, image: 0.5 });
    // With temperatures < 1 undone, the raw heads are flatter: the uncalibrated confidences are lower.
    const mean = (bins: typeof sharp.reliability.calibrated) =>
      bins.reduce((s, b) => s + (b.n ? b.confidence * b.n : 0), 0) / 4;
    expect(mean(sharp.reliability.uncalibrated)).toBeLessThan(mean(sharp.reliability.calibrated));
  });

  it("averages classify's share of the winning label's support, and counts agreement", () => {
    const text = detail.shares.find((s) => s.modality === 'text');
    const image = detail.shares.find((s) => s.modality === 'image');
    // Equal weights: share = p_m(winner) / Σ p(winner); the fourth item is image's alone (share 1).
    expect(text).toMatchObject({ modality: 'text', n: 3, agreed: 1 });
    expect(image).toMatchObject({ modality: 'image', n: 4, agreed: 3 / 4 });
    expect(text?.share).toBeCloseTo((0.9 / 1.6 + 0.7 / 1.0 + 0.8 / 1.4) / 4, 12);
    expect(image?.share).toBeCloseTo((0.7 / 1.6 + 0.3 / 1.0 + 0.6 / 1.4 + 1) / 4, 12);
    expect((text?.share ?? 0) + (image?.share ?? 0)).toBeCloseTo(1, 12);
  });

  it('leaves a modality weighing 0 out of the shares', () => {
    const muted = decisionDetail(labels, cases, 'weighted', {}, { weights: { text: 0 } });
    expect(muted.shares.map((s) => s.modality)).toEqual(['image']);
    expect(binsOf([]).ece).toBeNaN();
  });
});
