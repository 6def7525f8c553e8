/**
 * @module
 * A classify answer's conformal sets and abstention. Per modality, the set of its calibrated distribution over its
 * own calibration cases. Fused, the set over the cases that had the same modalities fused, with the same strategy
 * and weights — the only ones exchangeable with this item. A cascade picks which modalities are scored by how
 * confident the first ones are, which no calibration case did, so its fused set is every label; so is the set of
 * a request whose weights differ from the task's. Abstaining (any condition of `abstain` met) keeps the scores and
 * sets and drops the label.
 */
import { labelSet, allLabels, type LabelSet, type SetBasis } from '../conformal/sets.ts';
import { patternOf } from '../conformal/fit.ts';
import type { Decision, FusedDistribution } from '../fusion/fuse.ts';
import type { ClassifyTask } from '../tasks/heads-wire.ts';
import type { Abstain } from '../tasks/schema.ts';
import type { ResolvedFusion } from './request.ts';

export interface Abstained {
  readonly reason: 'set-too-large' | 'low-confidence' | 'too-many-missing';
  readonly detail: string;
}

export interface SetView {
  readonly set: string[];
  readonly conformal: SetBasis & { readonly modalities?: string[] };
}

const viewOf = (labels: readonly string[], { set, basis }: LabelSet) => ({
  set: set.map((i) => labels[i] ?? ''),
  conformal: basis,
});

function sameWeights(fusion: ResolvedFusion, calibrated: Readonly<Record<string, number>>): boolean {
  return Object.keys(calibrated).every((m) => (fusion.weights[m] ?? 1) === calibrated[m]);
}

function fusedSet(task: ClassifyTask, fused: FusedDistribution, fusion: ResolvedFusion, coverage: number) {
  const ranked = fused.distribution;
  const conformal = task.conformal;
  if (conformal === undefined) return labelSet(fused.distribution, undefined, coverage);
  if (fusion.cascade) return allLabels(ranked, coverage, 'cascade', 'a cascade chose the modalities fused');
  if (!sameWeights(fusion, conformal.weights))
    return allLabels(ranked, coverage, 'fusion-differs', 'calibrated with the task’s weights, not these');
  const calibration = conformal.fused[fused.strategy]?.[patternOf(fused.modalities)];
  if (calibration === undefined) {
    const detail = `no calibration example had exactly ${fused.modalities.join(', ')} fused`;
    return allLabels(ranked, coverage, 'modalities-uncalibrated', detail);
  }
  return labelSet(fused.distribution, calibration, coverage);
}

/** The fused set and each modality's, at `coverage`. */
export function setsOf(
  task: ClassifyTask,
  decisions: readonly Decision[],
  fused: FusedDistribution,
  plan: { readonly fusion: ResolvedFusion; readonly coverage: number },
): { fused: SetView; modalities: Record<string, SetView> } {
  const fusedView = viewOf(task.labels, fusedSet(task, fused, plan.fusion, plan.coverage));
  const modalities = Object.fromEntries(
    decisions.map((d) => {
      const own = labelSet(d.scores, task.conformal?.modalities[d.modality], plan.coverage);
      return [d.modality, viewOf(task.labels, own)];
    }),
  );
  return {
    fused: { ...fusedView, conformal: { ...fusedView.conformal, modalities: [...fused.modalities] } },
    modalities,
  };
}

/** Why the answer abstains, if it does: the first condition of `abstain` met. */
export function abstention(
  abstain: Abstain | undefined,
  evidence: { confidence: number; setSize?: number | undefined; missing: number },
): Abstained | undefined {
  if (abstain === undefined) return undefined;
  const { max_set_size: k, min_confidence: floor, max_missing: most } = abstain;
  if (k !== undefined && evidence.setSize !== undefined && evidence.setSize > k)
    return {
      reason: 'set-too-large',
      detail: `the fused set has ${evidence.setSize} labels, more than ${k}`,
    };
  if (floor !== undefined && evidence.confidence < floor) {
    const detail = `the best fused score ${evidence.confidence.toFixed(4)} is below ${floor}`;
    return { reason: 'low-confidence', detail };
  }
  if (most !== undefined && evidence.missing > most)
    return {
      reason: 'too-many-missing',
      detail: `${evidence.missing} modalities missing, more than ${most}`,
    };
  return undefined;
}
