/**
 * @module
 * The L-BFGS minimiser on problems with known answers: an ill-conditioned quadratic, the Rosenbrock valley, and an
 * objective that is infinite away from its domain (the line search must back off rather than step into it).
 */
import { describe, expect, it } from 'vitest';
import { minimize } from './optimize.ts';

describe('minimize', () => {
  it('finds the minimum of an ill-conditioned quadratic', () => {
    const scales = [1, 10, 1000];
    const target = [3, -2, 0.5];
    const x = minimize(
      (v) => {
        const gradient = v.map((vi, i) => (scales[i] ?? 0) * (vi - (target[i] ?? 0)));
        const value = v.reduce(
          (sum, vi, i) => sum + ((scales[i] ?? 0) * (vi - (target[i] ?? 0)) ** 2) / 2,
          0,
        );
        return { value, gradient };
      },
      [0, 0, 0],
    );
    [...x].forEach((xi, i) => expect(xi).toBeCloseTo(target[i] ?? 0, 5));
  });

  it('follows the Rosenbrock valley to (1, 1)', () => {
    const x = minimize(
      ([a = 0, b = 0]) => ({
        value: (1 - a) ** 2 + 100 * (b - a * a) ** 2,
        gradient: Float64Array.from([-2 * (1 - a) - 400 * a * (b - a * a), 200 * (b - a * a)]),
      }),
      [-1.2, 1],
      { iterations: 500, tolerance: 1e-9 },
    );
    expect(x[0]).toBeCloseTo(1, 4);
    expect(x[1]).toBeCloseTo(1, 4);
  });

  it('backs off steps that leave the domain', () => {
    // −log(x) + x has its minimum at 1 and is +∞ (NaN) for x ≤ 0; a unit step from 0.1 with a steep gradient
    // overshoots into x < 0.
    const x = minimize(
      ([v = 0]) => ({
        value: v > 0 ? -Math.log(v) + v : Number.POSITIVE_INFINITY,
        gradient: Float64Array.from([-1 / v + 1]),
      }),
      [0.05],
    );
    expect(x[0]).toBeCloseTo(1, 5);
  });

  it('stops at once on a flat start', () => {
    expect([...minimize(() => ({ value: 0, gradient: Float64Array.from([0, 0]) }), [4, 5])]).toEqual([4, 5]);
  });
});
