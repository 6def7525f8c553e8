/**
 * @module
 * A label set from a distribution and its calibration (`aps.ts`, `fit.ts`), and what it rests on. The method is
 * class-conditional APS when every label has enough calibration cases for the level, else marginal APS, else no
 * guarantee can be given: the set is every label, with the reason.
 */
import { apsSet, conformalRank, minimumExamples, rankedOrder, threshold } from './aps.ts';
import type { ConformalScores } from './fit.ts';

export type SetReason =
  'not-calibrated' | 'too-few-examples' | 'modalities-uncalibrated' | 'fusion-differs' | 'cascade';

export interface SetBasis {
  readonly coverage: number;
  readonly method: 'aps' | 'aps-class-conditional' | 'all-labels';
  /** Calibration cases the set rests on (all of them, for class-conditional sets). */
  readonly examples: number;
  /** Marginal APS: the rank of the threshold among the sorted scores, ⌈(n+1)·coverage⌉, and its value. */
  readonly rank?: number;
  readonly threshold?: number;
  /** Class-conditional APS: the fewest calibration cases of any one label. */
  readonly examplesPerLabel?: number;
  readonly reason?: SetReason;
  readonly detail?: string;
}

export interface LabelSet {
  /** Label indices, best first. */
  readonly set: number[];
  readonly basis: SetBasis;
}

/** Every label (best first), with the reason no guarantee can be given. */
export function allLabels(
  distribution: ArrayLike<number>,
  coverage: number,
  reason: SetReason,
  detail: string,
  examples = 0,
): LabelSet {
  return {
    set: rankedOrder(distribution),
    basis: { coverage, method: 'all-labels', examples, reason, detail },
  };
}

function perLabel(calibration: ConformalScores, labels: number): number[][] {
  const groups = Array.from({ length: labels }, () => [] as number[]);
  calibration.labels.forEach((label, i) => groups[label]?.push(calibration.scores[i] ?? 1));
  return groups;
}

/** The set of `distribution` at `coverage`; `calibration` undefined: the task has none to offer. */
export function labelSet(
  distribution: ArrayLike<number>,
  calibration: ConformalScores | undefined,
  coverage: number,
): LabelSet {
  const size = distribution.length;
  if (calibration === undefined)
    return allLabels(distribution, coverage, 'not-calibrated', 'no conformal calibration: refit the task');
  const n = calibration.scores.length;
  const needed = minimumExamples(coverage);
  const groups = perLabel(calibration, size);
  const fewest = Math.min(...groups.map((g) => g.length));
  if (fewest >= needed) {
    const thresholds = groups.map((g) => threshold(g, coverage));
    const basis = {
      coverage,
      method: 'aps-class-conditional',
      examples: n,
      examplesPerLabel: fewest,
    } as const;
    return { set: apsSet(distribution, thresholds), basis };
  }
  if (n < needed) {
    const detail = `coverage ${coverage} needs ${needed} calibration examples, ${n} available`;
    return allLabels(distribution, coverage, 'too-few-examples', detail, n);
  }
  const value = threshold(calibration.scores, coverage);
  const basis = {
    coverage,
    method: 'aps',
    examples: n,
    rank: conformalRank(n, coverage),
    threshold: value,
  } as const;
  return { set: apsSet(distribution, value), basis };
}
