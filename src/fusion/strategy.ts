/**
 * @module
 * The fusion extension point. A strategy combines per-modality label distributions into one; adding one is a file
 * made with {@link defineStrategy} plus one entry in `registry.ts`, and `strategy.case.test.ts` then runs the
 * shared contract (a distribution out, permutation invariance, a zero weight changes nothing) against it.
 */
import type { Scores } from './arithmetic.ts';
import type { StackingModel } from './stacking-model.ts';

/** What a strategy may know beyond the distributions: whose they are, and what the task has learned. */
export interface StrategyContext {
  /** The modality of each distribution, aligned with them. */
  readonly modalities: readonly string[];
  /** The task's fitted meta-classifier, for `stacking`. */
  readonly stacking?: StackingModel;
}

export interface FusionStrategy<Name extends string = string> {
  readonly name: Name;
  /** One line for the API docs. */
  readonly description: string;
  /**
   * Combines distributions over the same labels (aligned by index, each summing to 1). `weights` has one entry per
   * distribution, each > 0, summing to 1: zero-weight modalities are removed before a strategy sees them.
   * Returns a distribution over the labels. Runs per item over every label: typed arrays and plain loops, no
   * allocation per label (see `arithmetic.ts`).
   */
  fuse(distributions: readonly Scores[], weights: Scores, context: StrategyContext): Float64Array;
}

export function defineStrategy<Name extends string>(strategy: FusionStrategy<Name>): FusionStrategy<Name> {
  return Object.freeze({ ...strategy });
}
