/**
 * @module
 * The fusion extension point. A strategy combines per-modality label distributions into one; adding one is a file
 * made with {@link defineStrategy} plus one entry in `registry.ts`, and `strategy.case.test.ts` then runs the
 * shared contract (a distribution out, permutation invariance, single modality passes through) against it.
 */

export interface FusionStrategy<Name extends string = string> {
  readonly name: Name;
  /** One line for the API docs. */
  readonly description: string;
  /**
   * Combines distributions over the same labels (aligned by index, each summing to 1). `weights` has one entry per
   * distribution, each > 0, summing to 1: zero-weight modalities are removed before a strategy sees them.
   * Returns a distribution over the labels.
   */
  fuse(distributions: readonly (readonly number[])[], weights: readonly number[]): number[];
}

export function defineStrategy<Name extends string>(strategy: FusionStrategy<Name>): FusionStrategy<Name> {
  return Object.freeze({ ...strategy });
}
