/**
 * @module
 * The coverage report: sets calibrated on one synthetic half cover the other at each level, per modality and
 * strategy; without a calibration every set is every label (coverage 1, nothing calibrated); the
 * accuracy–abstention curve leaves out the least confident items first.
 */
import { describe, expect, it } from 'vitest';
import { fitConformal } from '../conformal/fit.ts';
import { strategyNames } from '../fusion/registry.ts';
import { abstentionCurve, coverageLevels, coverageReport } from './coverage.ts';
import type { EvalCase } from './evaluate.ts';

/** Deterministic noisy cases over 4 labels: the true label gets a bonus, the rest pseudo-random mass. */
function cases(count: number, offset: number): EvalCase[] {
  let seed = offset;
  const next = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  return Array.from({ length: count }, () => {
    const label = Math.floor(next() * 4);
    const draw = () => {
      const raw = [0, 1, 2, 3].map((i) => next() + (i === label ? 0.8 : 0));
      const total = raw.reduce((a, b) => a + b, 0);
      return raw.map((x) => x / total);
    };
    return { label, scores: { text: draw(), image: draw() } };
  });
}

const weights = { text: 1, image: 1 };

describe('coverageReport', () => {
  it('covers each level on held-out cases, per modality and strategy, within sampling error', () => {
    const conformal = fitConformal(cases(600, 7), { weights });
    const report = coverageReport(cases(600, 99), conformal, { weights });
    expect(report.modalities.map((r) => [r.name, r.level])).toEqual(
      ['image', 'text'].flatMap((name) => coverageLevels.map((level) => [name, level])),
    );
    expect(report.strategies).toHaveLength(strategyNames.length * coverageLevels.length);
    for (const row of [...report.modalities, ...report.strategies]) {
      if (row.name === 'stacking') continue; // no stacking model given: it falls back, as calibrated
      const error = 3 * Math.sqrt((row.level * (1 - row.level)) / row.n) + 0.01;
      expect(row.coverage, `${row.name} at ${row.level}`).toBeGreaterThanOrEqual(row.level - error);
      expect(row.calibrated).toBe(600);
      if (row.level === 0.8) expect(row.meanSetSize).toBeLessThan(4);
    }
  });

  it('answers every label, with nothing calibrated, before a refit', () => {
    const report = coverageReport(cases(20, 3), undefined, { weights });
    for (const row of report.strategies)
      expect(row).toMatchObject({ coverage: 1, meanSetSize: 4, calibrated: 0 });
  });
});

describe('abstentionCurve', () => {
  it('leaves out the least confident first', () => {
    const items = [
      { label: 0, distribution: [0.9, 0.1] },
      { label: 1, distribution: [0.55, 0.45] },
      { label: 0, distribution: [0.8, 0.2] },
      { label: 1, distribution: [0.3, 0.7] },
    ];
    const curve = abstentionCurve(items);
    expect(curve[0]).toEqual({ abstain: 0, kept: 4, accuracy: 0.75 });
    expect(curve.find((p) => p.abstain === 0.25)).toEqual({ abstain: 0.25, kept: 3, accuracy: 1 });
  });
});
