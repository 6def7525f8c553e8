/**
 * @module
 * Per-modality temperature calibration: `p_τ(y) ∝ p(y)^{1/τ}`, with `τ` fitted on held-out examples by minimising
 * the log-loss (a convex problem in `1/τ`, solved over `log τ` so that `τ` stays positive). An over-confident head
 * (prototype scores of a model with little spread) gets `τ > 1`, an under-confident one `τ < 1`. Calibration keeps
 * every head's argmax; it changes how much each modality weighs in the pools that read confidence (product,
 * confidence, stacking) and the log-loss.
 */
import { softmax } from '../distribution.ts';
import { minimize } from './optimize.ts';

/** Probabilities are floored before the log, so one zero cannot make the loss infinite. */
export const calibrationFloor = 1e-12;

/** Temperatures are kept within these bounds: beyond them a head is either one-hot or uniform. */
export const temperatureBounds = [0.01, 100] as const;

export interface CalibrationSample {
  /** The head's distribution on a held-out example. */
  readonly scores: readonly number[];
  /** The index of its true label. */
  readonly label: number;
}

function logsOf(scores: readonly number[]): number[] {
  return scores.map((p) => Math.log(Math.max(p, calibrationFloor)));
}

/** `softmax(log p / τ)`; τ = 1 returns the distribution (up to the floor). */
export function applyTemperature(scores: readonly number[], temperature: number): number[] {
  if (!(temperature > 0) || !Number.isFinite(temperature)) throw new RangeError('temperature must be > 0');
  return softmax(logsOf(scores), 1 / temperature);
}

/** The temperature minimising the mean log-loss on the samples; 1 when there are none. */
export function fitTemperature(samples: readonly CalibrationSample[]): number {
  if (samples.length === 0) return 1;
  const prepared = samples.map(({ scores, label }) => ({ logs: logsOf(scores), label }));
  const [low, high] = temperatureBounds;
  const [u = 0] = minimize(
    ([logTemperature = 0]) => {
      const inverse = Math.exp(-logTemperature);
      let value = 0;
      let slope = 0;
      for (const { logs, label } of prepared) {
        const q = softmax(logs.map((z) => z * inverse));
        const expected = q.reduce((sum, qy, y) => sum + qy * (logs[y] ?? 0), 0);
        value -= Math.log(Math.max(q[label] ?? 0, 1e-300));
        slope += expected - (logs[label] ?? 0);
      }
      // d/du of the loss at s = e^{-u}: dL/ds · ds/du = slope · (−s).
      return {
        value: value / prepared.length,
        gradient: Float64Array.from([(-inverse * slope) / prepared.length]),
      };
    },
    [0],
  );
  return Math.min(high, Math.max(low, Math.exp(u)));
}
