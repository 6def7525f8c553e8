/**
 * @module
 * What conformal sets and abstention do on a labelled set: at each coverage level, per modality and per fusion
 * strategy, the empirical coverage (the fraction of items whose set holds their label) and the mean set size; and
 * per strategy the accuracy–abstention curve — the items ranked by fused confidence, the least confident fraction
 * left out, the accuracy of the rest. Pure, like `evaluate.ts`: the same code serves the route and the bench.
 */
import { labelSet } from '../conformal/sets.ts';
import { patternOf, type ConformalScores, type TaskConformal } from '../conformal/fit.ts';
import { argmax } from '../fusion/arithmetic.ts';
import { fuseDistribution } from '../fusion/fuse.ts';
import { strategyNames } from '../fusion/registry.ts';
import type { EvalCase, EvaluateOptions } from './evaluate.ts';

export const coverageLevels = [0.8, 0.9, 0.95] as const;

/** Fractions of items abstained on, least confident first. */
export const abstentionLevels = [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5] as const;

export interface CoverageRow {
  readonly name: string;
  readonly level: number;
  readonly n: number;
  /** Fraction of the items whose set holds the true label (NaN: no item). */
  readonly coverage: number;
  readonly meanSetSize: number;
  /** Items whose set rests on a calibration (the others are every label, with no guarantee). */
  readonly calibrated: number;
}

export interface CurvePoint {
  readonly abstain: number;
  readonly kept: number;
  readonly accuracy: number;
}

export interface CoverageReport {
  readonly modalities: CoverageRow[];
  readonly strategies: CoverageRow[];
  readonly abstention: { readonly name: string; readonly points: CurvePoint[] }[];
}

interface Scored {
  readonly label: number;
  readonly distribution: ArrayLike<number>;
  readonly calibration: ConformalScores | undefined;
}

function rowsOf(name: string, items: readonly Scored[]): CoverageRow[] {
  return coverageLevels.map((level) => {
    let covered = 0;
    let size = 0;
    let calibrated = 0;
    for (const item of items) {
      const { set, basis } = labelSet(item.distribution, item.calibration, level);
      if (set.includes(item.label)) covered++;
      size += set.length;
      if (basis.method !== 'all-labels') calibrated++;
    }
    const n = items.length;
    return { name, level, n, coverage: covered / n, meanSetSize: size / n, calibrated };
  });
}

/** Accuracy after leaving out the least confident `abstain` fraction of the items. */
export function abstentionCurve(
  items: readonly { label: number; distribution: ArrayLike<number> }[],
): CurvePoint[] {
  const ranked = items
    .map((item) => {
      const best = argmax(item.distribution);
      return { confidence: item.distribution[best] ?? 0, correct: best === item.label };
    })
    .sort((a, b) => b.confidence - a.confidence);
  return abstentionLevels.map((abstain) => {
    const kept = ranked.length - Math.floor(abstain * ranked.length);
    const correct = ranked.slice(0, kept).filter((r) => r.correct).length;
    return { abstain, kept, accuracy: correct / kept };
  });
}

function fusedItems(
  cases: readonly EvalCase[],
  strategy: string,
  conformal: TaskConformal | undefined,
  options: EvaluateOptions,
) {
  const weights = options.weights ?? {};
  const same =
    conformal !== undefined &&
    Object.keys(conformal.weights).every((m) => (weights[m] ?? 1) === conformal.weights[m]);
  return cases.flatMap((c) => {
    const decisions = Object.entries(c.scores).map(([modality, scores]) => ({ modality, scores }));
    if (!decisions.some((d) => (weights[d.modality] ?? 1) > 0)) return [];
    const fused = fuseDistribution(decisions, { strategy, ...options });
    const calibration = same ? conformal.fused[strategy]?.[patternOf(fused.modalities)] : undefined;
    return [{ label: c.label, distribution: fused.distribution, calibration }];
  });
}

export function coverageReport(
  cases: readonly EvalCase[],
  conformal: TaskConformal | undefined,
  options: EvaluateOptions = {},
): CoverageReport {
  const names = [...new Set(cases.flatMap((c) => Object.keys(c.scores)))].sort();
  const modalities = names.flatMap((name) =>
    rowsOf(
      name,
      cases.flatMap((c) => {
        const scores = Object.hasOwn(c.scores, name) ? c.scores[name] : undefined;
        return scores
          ? [{ label: c.label, distribution: scores, calibration: conformal?.modalities[name] }]
          : [];
      }),
    ),
  );
  const fused = strategyNames.map((name) => ({ name, items: fusedItems(cases, name, conformal, options) }));
  return {
    modalities,
    strategies: fused.flatMap(({ name, items }) => rowsOf(name, items)),
    abstention: fused.map(({ name, items }) => ({ name, points: abstentionCurve(items) })),
  };
}
