/**
 * @module
 * The stacking meta-classifier and its fit. Over the concatenated per-modality distributions it scores label `y`
 * as `b_y + Σ_m (a_m · f_m(y) + c_m · p_m(y))`, where `f_m` is the modality's log-probability centred over the
 * labels (floored at {@link featureFloor}). The coefficients are shared across labels (a conditional-logit
 * model): 2 per modality plus one bias per label, so it can be fitted from a few dozen examples for any number of
 * labels, and a missing or uniform modality contributes nothing (its centred log-probabilities are 0, its
 * probabilities shift every label alike). With `c = 0` and `b = 0` it is the product rule with weights `a`.
 *
 * Fitted by minimising the L2-regularised log-loss with L-BFGS on held-out (out-of-fold) modality distributions:
 * distributions of the very examples a head was built from are over-confident and would teach it wrong weights.
 */
import { minimize } from '../heads/optimize.ts';

/** Stored in the task (`fusion.stacking`): a few numbers per modality and one per label. */
export interface StackingModel {
  /** Per modality: `[a, c]`, the weights of its centred log-probabilities and of its probabilities. */
  readonly coefficients: Record<string, [number, number]>;
  /** Per label, aligned with the task's labels. */
  readonly bias: number[];
}

/** One held-out item: its true label's index and the distribution of each modality that saw it. */
export interface StackingSample {
  readonly label: number;
  readonly distributions: Readonly<Record<string, readonly number[]>>;
}

export const featureFloor = 1e-6;

/** `log p(y) − mean log p`, with `p` floored so that one zero cannot dominate. */
export function centredLog(scores: readonly number[]): number[] {
  const logs = scores.map((p) => Math.log(Math.max(p, featureFloor)));
  const mean = logs.reduce((sum, value) => sum + value, 0) / (logs.length || 1);
  return logs.map((value) => value - mean);
}

/** The meta-classifier's logits for one item; `coefficients` aligned with `distributions`. */
export function stackingLogits(
  distributions: readonly (readonly number[])[],
  coefficients: readonly (readonly [number, number])[],
  bias: readonly number[],
): number[] {
  const logits = Array.from({ length: distributions[0]?.length ?? 0 }, (_, y) => bias[y] ?? 0);
  distributions.forEach((scores, m) => {
    const [a, c] = coefficients[m] ?? [0, 0];
    const features = centredLog(scores);
    for (let y = 0; y < logits.length; y++) {
      logits[y] = (logits[y] ?? 0) + a * (features[y] ?? 0) + c * (scores[y] ?? 0);
    }
  });
  return logits;
}

export interface StackingFitOptions {
  /** L2 penalty on every parameter, per sample (default 1e-3). */
  readonly l2?: number;
}

interface Prepared {
  readonly label: number;
  /** Per modality of the model (in `modalities` order): centred logs and probabilities, or undefined if absent. */
  readonly features: readonly ({ logs: number[]; scores: readonly number[] } | undefined)[];
}

function objectiveFor(samples: readonly Prepared[], labels: number, modalities: number, l2: number) {
  return (x: Float64Array) => {
    const gradient = new Float64Array(x.length);
    let value = 0;
    for (const sample of samples) {
      const logits = Array.from({ length: labels }, (_, y) => x[2 * modalities + y] ?? 0);
      sample.features.forEach((f, m) => {
        if (f === undefined) return;
        for (let y = 0; y < labels; y++) {
          logits[y] =
            (logits[y] ?? 0) + (x[2 * m] ?? 0) * (f.logs[y] ?? 0) + (x[2 * m + 1] ?? 0) * (f.scores[y] ?? 0);
        }
      });
      const top = Math.max(...logits);
      const exps = logits.map((l) => Math.exp(l - top));
      const total = exps.reduce((sum, e) => sum + e, 0);
      value += Math.log(total) + top - (logits[sample.label] ?? 0);
      for (let y = 0; y < labels; y++) {
        const residual = (exps[y] ?? 0) / total - (y === sample.label ? 1 : 0);
        gradient[2 * modalities + y] = (gradient[2 * modalities + y] ?? 0) + residual;
        sample.features.forEach((f, m) => {
          if (f === undefined) return;
          gradient[2 * m] = (gradient[2 * m] ?? 0) + residual * (f.logs[y] ?? 0);
          gradient[2 * m + 1] = (gradient[2 * m + 1] ?? 0) + residual * (f.scores[y] ?? 0);
        });
      }
    }
    const n = samples.length;
    for (let i = 0; i < x.length; i++) {
      value += (l2 * n * (x[i] ?? 0) ** 2) / 2;
      gradient[i] = ((gradient[i] ?? 0) + l2 * n * (x[i] ?? 0)) / n;
    }
    return { value: value / n, gradient };
  };
}

/**
 * Fits the meta-classifier over `labels` labels from held-out samples; starts from the equal-weight product rule.
 * Throws a RangeError without samples.
 */
export function fitStacking(
  samples: readonly StackingSample[],
  labels: number,
  options: StackingFitOptions = {},
): StackingModel {
  if (samples.length === 0) throw new RangeError('stacking needs at least one held-out sample');
  const modalities = [...new Set(samples.flatMap((s) => Object.keys(s.distributions)))].sort();
  const prepared = samples.map((s) => ({
    label: s.label,
    features: modalities.map((m) => {
      const scores = s.distributions[m];
      return scores === undefined ? undefined : { logs: centredLog(scores), scores };
    }),
  }));
  const start = new Float64Array(2 * modalities.length + labels);
  modalities.forEach((_, m) => (start[2 * m] = 1 / modalities.length));
  const x = minimize(objectiveFor(prepared, labels, modalities.length, options.l2 ?? 1e-3), start);
  return {
    coefficients: Object.fromEntries(
      modalities.map((m, i) => [m, [x[2 * i] ?? 0, x[2 * i + 1] ?? 0] as const]),
    ),
    bias: Array.from({ length: labels }, (_, y) => x[2 * modalities.length + y] ?? 0),
  };
}
