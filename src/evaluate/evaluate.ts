/**
 * @module
 * Evaluation of a task's decisions on a labelled set: the metrics of each single modality (on the items that
 * have it) and of each fusion strategy (on every item), and a recommended strategy — the best macro-F1, then
 * accuracy, then the lowest log-loss. Pure: the per-modality distributions come in already computed (and
 * calibrated), so the same code serves `POST /v1/tasks/{id}/evaluate` and `npm run bench:fusion`.
 */
import { fuse } from '../fusion/fuse.ts';
import { strategyNames } from '../fusion/registry.ts';
import type { StackingModel } from '../fusion/stacking-model.ts';
import { metricsOf, type Metrics } from './metrics.ts';

/** One labelled item: its true label's index and the distribution of each modality that could score it. */
export interface EvalCase {
  readonly label: number;
  readonly scores: Readonly<Record<string, readonly number[]>>;
}

export interface EvaluationRow extends Metrics {
  readonly name: string;
}

export interface Evaluation {
  readonly modalities: EvaluationRow[];
  readonly strategies: EvaluationRow[];
  readonly recommended: string;
}

export interface EvaluateOptions {
  readonly weights?: Readonly<Record<string, number>>;
  readonly stacking?: StackingModel;
}

/** Whether `a` ranks before `b`: macro-F1, then accuracy, then log-loss. */
function better(a: EvaluationRow, b: EvaluationRow): boolean {
  if (a.macroF1 !== b.macroF1) return a.macroF1 > b.macroF1;
  if (a.accuracy !== b.accuracy) return a.accuracy > b.accuracy;
  return a.logLoss < b.logLoss;
}

export function evaluateCases(
  labels: readonly string[],
  cases: readonly EvalCase[],
  options: EvaluateOptions = {},
): Evaluation {
  const modalityNames = [...new Set(cases.flatMap((c) => Object.keys(c.scores)))].sort();
  const modalities = modalityNames.map((name) => ({
    name,
    ...metricsOf(
      cases.flatMap((c) => {
        const scores = Object.hasOwn(c.scores, name) ? c.scores[name] : undefined;
        return scores === undefined ? [] : [{ label: c.label, scores }];
      }),
    ),
  }));
  // An item whose modalities all weigh 0 has nothing to fuse: it counts for the single modalities only.
  const usable = cases.filter((c) => Object.keys(c.scores).some((m) => (options.weights?.[m] ?? 1) > 0));
  const strategies = strategyNames.map((strategy) => ({
    name: strategy,
    ...metricsOf(
      usable.map((c) => {
        const decisions = Object.entries(c.scores).map(([modality, scores]) => ({ modality, scores }));
        const fused = fuse(labels, decisions, { strategy, ...options });
        return {
          label: c.label,
          scores: labels.map((l) => fused.scores.find((s) => s.label === l)?.score ?? 0),
        };
      }),
    ),
  }));
  const best = strategies.reduce((a, b) => (better(b, a) ? b : a));
  return { modalities, strategies, recommended: best.name };
}
