/**
 * @module
 * What refit stores for conformal sets (`aps.ts`): the APS score and true label of each out-of-fold case, per
 * modality (its calibrated distribution) and, per fusion strategy, per pattern of the modalities fused (with the
 * task's weights and stacking model). A fused answer is calibrated only on cases that had the same modalities:
 * a case with two modalities is not exchangeable with one with three. Scores are rounded up to 6 decimals (a
 * larger threshold only widens the sets, so the guarantee is kept) and at most {@link maxConformalCases} cases are
 * kept per list, an even spread in item order.
 */
import { fuseDistribution } from '../fusion/fuse.ts';
import { strategyNames } from '../fusion/registry.ts';
import type { StackingModel } from '../fusion/stacking-model.ts';
import { apsScore } from './aps.ts';

/** A modality's (or a pattern's) calibration cases: each one's APS score and true label's index. */
export interface ConformalScores {
  readonly scores: number[];
  readonly labels: number[];
}

export interface TaskConformal {
  readonly modalities: Record<string, ConformalScores>;
  /** Per strategy, per pattern ({@link patternOf}). */
  readonly fused: Record<string, Record<string, ConformalScores>>;
  /** The fusion weights the fused scores were computed with: a request with others gets no fused guarantee. */
  readonly weights: Record<string, number>;
}

export const maxConformalCases = 1000;

/** The key of a set of fused modalities: their names, sorted, joined by `+`. */
export const patternOf = (modalities: readonly string[]) => [...modalities].sort().join('+');

const roundedUp = (score: number) => Math.ceil(score * 1e6) / 1e6;

interface Case {
  readonly label: number;
  readonly scores: Readonly<Record<string, readonly number[]>>;
}

function collect(
  into: Record<string, ConformalScores>,
  key: string,
  distribution: ArrayLike<number>,
  label: number,
) {
  const list = (into[key] ??= { scores: [], labels: [] });
  list.scores.push(roundedUp(apsScore(distribution, label)));
  list.labels.push(label);
}

/** Every `step`-th case, so that no list can exceed {@link maxConformalCases}. */
function spreadCases<T>(cases: readonly T[]): readonly T[] {
  const step = Math.ceil(cases.length / maxConformalCases);
  return step <= 1 ? cases : cases.filter((_, i) => i % step === 0);
}

function fusedScores(cases: readonly Case[], strategy: string, fusion: FitOptions) {
  const patterns: Record<string, ConformalScores> = {};
  for (const c of cases) {
    const decisions = Object.entries(c.scores).map(([modality, scores]) => ({ modality, scores }));
    if (!decisions.some((d) => (fusion.weights[d.modality] ?? 1) > 0)) continue;
    const fused = fuseDistribution(decisions, { strategy, ...fusion });
    collect(patterns, patternOf(fused.modalities), fused.distribution, c.label);
  }
  return patterns;
}

export interface FitOptions {
  readonly weights: Record<string, number>;
  readonly stacking?: StackingModel;
}

/** The conformal calibration of out-of-fold cases whose distributions are calibrated as classify's are. */
export function fitConformal(cases: readonly Case[], fusion: FitOptions): TaskConformal {
  const kept = spreadCases(cases);
  const modalities: Record<string, ConformalScores> = {};
  for (const c of kept)
    for (const [name, scores] of Object.entries(c.scores)) collect(modalities, name, scores, c.label);
  const fused = Object.fromEntries(strategyNames.map((s) => [s, fusedScores(kept, s, fusion)]));
  return { modalities, fused, weights: fusion.weights };
}

/** How many calibration cases each list holds, for reports and the task's view. */
export function conformalCounts(conformal: TaskConformal, strategy: string) {
  const count = (lists: Record<string, ConformalScores>) =>
    Object.fromEntries(Object.entries(lists).map(([key, list]) => [key, list.scores.length]));
  return { modalities: count(conformal.modalities), fused: count(conformal.fused[strategy] ?? {}) };
}
