/**
 * @module
 * Classification metrics over predicted distributions: accuracy, macro-F1 (the unweighted mean of per-label F1 over
 * the labels that occur in the truth or the predictions, as scikit-learn does) and log-loss (the mean negative log
 * probability of the true label, clipped at {@link logLossFloor} so that one zero cannot make it infinite).
 */
import { argmax } from '../fusion/arithmetic.ts';

export const logLossFloor = 1e-15;

export interface Metrics {
  /** How many items were scored. */
  readonly n: number;
  readonly accuracy: number;
  readonly macroF1: number;
  readonly logLoss: number;
}

export interface Scored {
  /** Index of the true label. */
  readonly label: number;
  readonly scores: readonly number[];
}

function macroF1(truth: readonly number[], predicted: readonly number[]): number {
  const labels = [...new Set([...truth, ...predicted])];
  const f1s = labels.map((label) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    truth.forEach((t, i) => {
      const p = predicted[i];
      if (p === label && t === label) tp++;
      else if (p === label) fp++;
      else if (t === label) fn++;
    });
    return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  });
  return f1s.reduce((sum, f1) => sum + f1, 0) / (f1s.length || 1);
}

/** The metrics of a set of scored items; all NaN for an empty set. */
export function metricsOf(items: readonly Scored[]): Metrics {
  const n = items.length;
  if (n === 0) return { n, accuracy: Number.NaN, macroF1: Number.NaN, logLoss: Number.NaN };
  const truth = items.map((item) => item.label);
  const predicted = items.map((item) => argmax(item.scores));
  const correct = predicted.filter((p, i) => p === truth[i]).length;
  const loss = items.reduce(
    (sum, item) => sum - Math.log(Math.max(item.scores[item.label] ?? 0, logLossFloor)),
    0,
  );
  return { n, accuracy: correct / n, macroF1: macroF1(truth, predicted), logLoss: loss / n };
}
