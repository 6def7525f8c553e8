/**
 * @module
 * The conformal math, pure: APS scores and sets, the threshold's rank with its finite-sample correction, the
 * guarantee on synthetic exchangeable data (within sampling error), and the too-few-examples answer.
 */
import { describe, expect, it } from 'vitest';
import { apsScore, apsSet, conformalRank, minimumExamples, rankedOrder, threshold } from './aps.ts';
import { labelSet } from './sets.ts';

/** A seeded generator (mulberry32), so that a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random distribution over `k` labels and a true label that a noisy model ranks high more often than not. */
function draw(next: () => number, k: number): { scores: number[]; label: number } {
  const label = Math.floor(next() * k);
  const raw = Array.from({ length: k }, (_, i) => -Math.log(next()) * (i === label ? 2.5 : 1));
  const total = raw.reduce((a, b) => a + b, 0);
  return { scores: raw.map((x) => x / total), label };
}

/** The fraction of test cases whose set holds their label, over `trials` fresh calibrations of `n` cases. */
function coverageOf(seed: number, n: number, coverage: number, trials: number, tests: number) {
  const next = random(seed);
  let covered = 0;
  let size = 0;
  for (let t = 0; t < trials; t++) {
    const calibration = Array.from({ length: n }, () => draw(next, 10));
    const scores = {
      scores: calibration.map((c) => apsScore(c.scores, c.label)),
      labels: calibration.map(() => 0),
    };
    for (let j = 0; j < tests; j++) {
      const test = draw(next, 10);
      const { set } = labelSet(test.scores, scores, coverage);
      if (set.includes(test.label)) covered++;
      size += set.length;
    }
  }
  return { coverage: covered / (trials * tests), size: size / (trials * tests) };
}

describe('APS scores and sets', () => {
  it('ranks best first, ties to the lower index, and sums the mass down to the label', () => {
    expect(rankedOrder([0.2, 0.5, 0.2, 0.1])).toEqual([1, 0, 2, 3]);
    expect(apsScore([0.2, 0.5, 0.2, 0.1], 1)).toBe(0);
    expect(apsScore([0.2, 0.5, 0.2, 0.1], 2)).toBeCloseTo(0.7, 12);
    expect(() => apsScore([0.5, 0.5], 2)).toThrow(RangeError);
  });

  it('keeps the labels whose score is within the threshold, always the best one', () => {
    expect(apsSet([0.2, 0.5, 0.2, 0.1], 0.5)).toEqual([1, 0]);
    expect(apsSet([0.2, 0.5, 0.2, 0.1], 0)).toEqual([1]);
    expect(apsSet([0.2, 0.5, 0.2, 0.1], Infinity)).toEqual([1, 0, 2, 3]);
    // A label of zero mass stays out below a threshold of 1.
    expect(apsSet([0.6, 0.4, 0], 0.99)).toEqual([0, 1]);
    // Per-label thresholds: label 0 needs 0.4 (it scores 0.5), label 2 allows 1; label 1 fails its own.
    expect(apsSet([0.2, 0.5, 0.2, 0.1], [0.4, -1, 1, 0])).toEqual([1, 2]);
  });
});

describe('the threshold and its finite-sample correction', () => {
  it('takes the ⌈(n+1)·coverage⌉-th smallest score, infinite past n', () => {
    expect(conformalRank(9, 0.9)).toBe(9);
    expect(conformalRank(19, 0.9)).toBe(18);
    expect(conformalRank(5, 0.8)).toBe(5);
    expect(threshold([0.5, 0.1, 0.3, 0.2, 0.4], 0.8)).toBe(0.5);
    expect(threshold([0.1, 0.2, 0.3], 0.9)).toBe(Infinity);
    expect(minimumExamples(0.9)).toBe(9);
    expect(minimumExamples(0.95)).toBe(19);
    expect(minimumExamples(0.5)).toBe(1);
  });

  it('answers every label, with the reason, when the calibration cannot support the level', () => {
    const few = { scores: [0.3, 0.6, 0.9], labels: [0, 1, 0] };
    const answer = labelSet([0.7, 0.2, 0.1], few, 0.9);
    expect(answer.set).toEqual([0, 1, 2]);
    expect(answer.basis).toMatchObject({ method: 'all-labels', reason: 'too-few-examples', examples: 3 });
    expect(answer.basis.detail).toContain('needs 9');
    expect(labelSet([0.7, 0.3], undefined, 0.9).basis.reason).toBe('not-calibrated');
  });

  it('is class-conditional when every label has enough cases, marginal otherwise', () => {
    const labels = Array.from({ length: 20 }, (_, i) => i % 2);
    const scores = labels.map((label, i) => (label === 0 ? 0.5 + i / 100 : 0.9 + i / 1000));
    expect(labelSet([0.6, 0.4], { scores, labels }, 0.9).basis).toMatchObject({
      method: 'aps-class-conditional',
      examplesPerLabel: 10,
    });
    expect(labelSet([0.6, 0.3, 0.1], { scores, labels }, 0.9).basis).toMatchObject({
      method: 'aps',
      rank: 19,
    });
  });
});

describe('the coverage guarantee on exchangeable data', () => {
  it('covers at least the level, and at most 1/(n+1) more, within sampling error', () => {
    for (const level of [0.8, 0.9, 0.95]) {
      const n = 60;
      const measured = coverageOf(level * 1000, n, level, 300, 20);
      // 6,000 test cases: a binomial standard error of at most 0.0065; the trials' spread adds a little.
      const error = 3 * Math.sqrt((level * (1 - level)) / 6000) + 0.01;
      expect(measured.coverage).toBeGreaterThanOrEqual(level - error);
      expect(measured.coverage).toBeLessThanOrEqual(level + 1 / (n + 1) + error);
      expect(measured.size).toBeLessThan(10);
    }
  });

  it('needs the +1: with 5 cases at 0.8, the 5th score covers 5/6; the 4th would cover 4/6', () => {
    const measured = coverageOf(7, 5, 0.8, 20_000, 1);
    expect(measured.coverage).toBeGreaterThanOrEqual(0.8 - 3 * Math.sqrt((0.8 * 0.2) / 20_000));
  });
});
