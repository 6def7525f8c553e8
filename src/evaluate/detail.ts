/**
 * @module
 * What the evaluation view draws for one strategy: the confusion matrix (sparse: only the cells that occur, so a
 * task of 5,000 labels answers at most one cell per item), precision, recall and F1 per label, a reliability
 * diagram of the fused confidence with the refit's temperatures and without them, and each modality's share of
 * the decisions (classify's `share`, averaged). Pure, like `evaluate.ts`.
 */
import { applyTemperature } from '../heads/calibration.ts';
import { argmax } from '../fusion/arithmetic.ts';
import { fuseDistribution } from '../fusion/fuse.ts';
import { supportShares } from '../classify/decide.ts';
import type { EvalCase, EvaluateOptions } from './evaluate.ts';

/** Equal-width confidence bins of the reliability diagram. */
export const reliabilityBins = 10;

export interface Cell {
  readonly truth: string;
  readonly predicted: string;
  readonly count: number;
}

export interface LabelMetrics {
  readonly label: string;
  /** Items whose true label it is. */
  readonly support: number;
  /** NaN when the label was never predicted (precision) or never true (recall). */
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

export interface Bin {
  readonly lower: number;
  readonly upper: number;
  readonly n: number;
  /** Mean top score and accuracy of the items in the bin (NaN when empty). */
  readonly confidence: number;
  readonly accuracy: number;
}

export interface Reliability {
  readonly calibrated: Bin[];
  readonly uncalibrated: Bin[];
  /** Expected calibration error: the items' mean |accuracy − confidence| over the bins. */
  readonly ece: { readonly calibrated: number; readonly uncalibrated: number };
}

export interface Share {
  readonly modality: string;
  /** Items that had the modality. */
  readonly n: number;
  /** Fraction of those whose own best label is the fused one. */
  readonly agreed: number;
  /** Its share of the winning label's support (classify's `share`), averaged over all fused items. */
  readonly share: number;
}

export interface Detail {
  readonly strategy: string;
  readonly n: number;
  readonly confusion: Cell[];
  readonly perLabel: LabelMetrics[];
  readonly reliability: Reliability;
  readonly shares: Share[];
}

interface Outcome {
  readonly label: number;
  readonly predicted: number;
  readonly confidence: number;
}

export function binsOf(outcomes: readonly Outcome[]): { bins: Bin[]; ece: number } {
  const bins = Array.from({ length: reliabilityBins }, (_, i) => ({ i, n: 0, confidence: 0, correct: 0 }));
  for (const o of outcomes) {
    const bin = bins[Math.min(reliabilityBins - 1, Math.floor(o.confidence * reliabilityBins))];
    if (bin === undefined) continue;
    bin.n++;
    bin.confidence += o.confidence;
    if (o.predicted === o.label) bin.correct++;
  }
  let gap = 0;
  const out = bins.map(({ i, n, confidence, correct }) => {
    gap += Math.abs(correct - confidence);
    return {
      lower: i / reliabilityBins,
      upper: (i + 1) / reliabilityBins,
      n,
      confidence: confidence / n,
      accuracy: correct / n,
    };
  });
  return { bins: out, ece: gap / outcomes.length };
}

function perLabelOf(labels: readonly string[], outcomes: readonly Outcome[]): LabelMetrics[] {
  const seen = [...new Set(outcomes.flatMap((o) => [o.label, o.predicted]))].sort((a, b) => a - b);
  return seen.map((index) => {
    const support = outcomes.filter((o) => o.label === index).length;
    const predicted = outcomes.filter((o) => o.predicted === index).length;
    const tp = outcomes.filter((o) => o.label === index && o.predicted === index).length;
    const [precision, recall] = [tp / predicted, tp / support];
    return { label: labels[index] ?? '?', support, precision, recall, f1: (2 * tp) / (support + predicted) };
  });
}

function confusionOf(labels: readonly string[], outcomes: readonly Outcome[]): Cell[] {
  const counts = new Map<string, Cell>();
  for (const o of outcomes) {
    const key = `${o.label} ${o.predicted}`;
    const count = (counts.get(key)?.count ?? 0) + 1;
    counts.set(key, { truth: labels[o.label] ?? '?', predicted: labels[o.predicted] ?? '?', count });
  }
  return [...counts.values()];
}

/** The cases with each modality's refit temperature undone (the distribution its head gives uncalibrated). */
export function uncalibrate(cases: readonly EvalCase[], temperatures: Readonly<Record<string, number>>) {
  return cases.map((c) => ({
    label: c.label,
    scores: Object.fromEntries(
      Object.entries(c.scores).map(([m, s]) => {
        const t = temperatures[m] ?? 1;
        return [m, t === 1 ? s : applyTemperature(s, 1 / t)];
      }),
    ),
  }));
}

function fusedOutcomes(cases: readonly EvalCase[], strategy: string, options: EvaluateOptions) {
  return cases.flatMap((c) => {
    const decisions = Object.entries(c.scores).map(([modality, scores]) => ({ modality, scores }));
    if (!decisions.some((d) => (options.weights?.[d.modality] ?? 1) > 0)) return [];
    const { distribution, weights } = fuseDistribution(decisions, { strategy, ...options });
    const predicted = argmax(distribution);
    const voting = decisions.filter((d) => (weights[d.modality] ?? 0) > 0);
    return [
      { voting, weights, outcome: { label: c.label, predicted, confidence: distribution[predicted] ?? 0 } },
    ];
  });
}

/** Per modality, classify's `share` (`decide.ts`) averaged over the fused items, and how often it agreed. */
function sharesOf(fused: ReturnType<typeof fusedOutcomes>): Share[] {
  const names = [...new Set(fused.flatMap(({ voting }) => voting.map((d) => d.modality)))].sort();
  const tally = new Map(names.map((m) => [m, { n: 0, agreed: 0, share: 0 }]));
  for (const { voting, weights, outcome } of fused) {
    // A lone modality is the decision (classify answers its share as 1).
    const [lone] = voting;
    const shares =
      voting.length === 1 && lone
        ? { [lone.modality]: 1 }
        : supportShares(voting, weights, outcome.predicted);
    for (const { modality, scores } of voting) {
      const entry = tally.get(modality);
      if (!entry) continue;
      entry.n++;
      if (argmax(scores) === outcome.predicted) entry.agreed++;
      entry.share += shares[modality] ?? 0;
    }
  }
  return names.map((modality) => {
    const { n, agreed, share } = tally.get(modality) ?? { n: 0, agreed: 0, share: 0 };
    return { modality, n, agreed: agreed / n, share: share / (fused.length || 1) };
  });
}

export function decisionDetail(
  labels: readonly string[],
  cases: readonly EvalCase[],
  strategy: string,
  temperatures: Readonly<Record<string, number>>,
  options: EvaluateOptions = {},
): Detail {
  const fused = fusedOutcomes(cases, strategy, options);
  const outcomes = fused.map((f) => f.outcome);
  const calibrated = binsOf(outcomes);
  const raw = binsOf(
    fusedOutcomes(uncalibrate(cases, temperatures), strategy, options).map((f) => f.outcome),
  );
  return {
    strategy,
    n: outcomes.length,
    confusion: confusionOf(labels, outcomes),
    perLabel: perLabelOf(labels, outcomes),
    reliability: {
      calibrated: calibrated.bins,
      uncalibrated: raw.bins,
      ece: { calibrated: calibrated.ece, uncalibrated: raw.ece },
    },
    shares: sharesOf(fused),
  };
}
