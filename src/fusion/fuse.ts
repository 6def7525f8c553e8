/**
 * @module
 * Decision-level fusion: per-modality label distributions in, one ranked distribution out, with the weights that
 * were used. Weights default to 1, a weight of 0 removes a modality, and the rest are renormalised over the
 * modalities that are present, so an absent modality never dilutes the answer. Plain loops throughout: this runs
 * once per classified item (and per strategy and held-out item in an evaluation).
 */
import { rank, type LabelScore } from '../rank.ts';
import { findStrategy } from './registry.ts';
import type { StackingModel } from './stacking-model.ts';

/** One modality's label distribution, aligned with the task's labels. */
export interface Decision {
  readonly modality: string;
  readonly scores: readonly number[];
}

export interface FusionOptions {
  readonly strategy: string;
  /** Non-negative weight per modality; a modality left out weighs 1. */
  readonly weights?: Readonly<Record<string, number>>;
  /** The task's fitted meta-classifier, used by `stacking`. */
  readonly stacking?: StackingModel;
  /** How many of the best labels `scores` keeps (all when absent). */
  readonly topK?: number;
}

export interface FusionResult {
  readonly label: string;
  /** Best first (the best {@link FusionOptions.topK} when given). */
  readonly scores: LabelScore[];
  readonly strategy: string;
  /** The weights used, per present modality, summing to 1 (0 for a modality that was ignored). */
  readonly weights: Record<string, number>;
}

/**
 * Weights for the present modalities, renormalised to sum to 1; `undefined` when they are all 0, i.e. nothing
 * may be fused. Throws a RangeError for a negative or non-finite weight (requests are validated before).
 */
export function resolveWeights(
  modalities: readonly string[],
  weights: Readonly<Record<string, number>> = {},
): Record<string, number> | undefined {
  let total = 0;
  for (const modality of modalities) {
    const weight = weights[modality] ?? 1;
    if (!Number.isFinite(weight) || weight < 0)
      throw new RangeError('fusion weights must be finite and >= 0');
    total += weight;
  }
  if (total <= 0) return undefined;
  const resolved: Record<string, number> = {};
  for (const modality of modalities) resolved[modality] = (weights[modality] ?? 1) / total;
  return resolved;
}

function checkDistinct(decisions: readonly Decision[]): void {
  for (let i = 1; i < decisions.length; i++) {
    for (let j = 0; j < i; j++) {
      if (decisions[i]?.modality === decisions[j]?.modality)
        throw new RangeError('one decision per modality');
    }
  }
}

/** The fused distribution (aligned with the labels), the weights used and the modalities that weighed. */
export interface FusedDistribution {
  readonly distribution: ArrayLike<number>;
  readonly strategy: string;
  readonly weights: Record<string, number>;
  /** The modalities with a positive weight, in decision order. */
  readonly modalities: readonly string[];
}

/** {@link fuse} before ranking; throws a RangeError when no decision has a positive weight. */
export function fuseDistribution(decisions: readonly Decision[], options: FusionOptions): FusedDistribution {
  const strategy = findStrategy(options.strategy);
  checkDistinct(decisions);
  const weights = resolveWeights(
    decisions.map((decision) => decision.modality),
    options.weights,
  );
  if (weights === undefined) throw new RangeError('no modality with a positive weight to fuse');
  const distributions: (readonly number[])[] = [];
  const used: number[] = [];
  const modalities: string[] = [];
  for (const decision of decisions) {
    const weight = weights[decision.modality] ?? 0;
    if (weight <= 0) continue;
    distributions.push(decision.scores);
    used.push(weight);
    modalities.push(decision.modality);
  }
  // A lone modality passes through untouched: every strategy would return it, up to rounding.
  const distribution =
    distributions.length === 1
      ? (distributions[0] ?? [])
      : strategy.fuse(distributions, used, {
          modalities,
          ...(options.stacking ? { stacking: options.stacking } : {}),
        });
  return { distribution, strategy: strategy.name, weights, modalities };
}

/** Fuses one decision per modality; throws a RangeError when no decision has a positive weight. */
export function fuse(
  labels: readonly string[],
  decisions: readonly Decision[],
  options: FusionOptions,
): FusionResult {
  const { distribution, strategy, weights } = fuseDistribution(decisions, options);
  const scores = rank(labels, distribution, options.topK);
  return { label: scores[0]?.label ?? '', scores, strategy, weights };
}
