/**
 * @module
 * A small L-BFGS minimiser for the smooth convex objectives the project fits at the edge (multinomial logistic
 * regression, temperatures, the stacking meta-classifier). Pure and deterministic: the same data gives the same
 * parameters. Armijo backtracking keeps every step a descent; it stops at `iterations` or when the gradient is flat.
 */

/** The objective's value and gradient at `x`. */
export type Objective = (x: Float64Array) => { value: number; gradient: Float64Array };

export interface MinimizeOptions {
  /** Most L-BFGS steps (default 200). */
  readonly iterations?: number;
  /** Stop when the largest gradient component is below this (default 1e-6). */
  readonly tolerance?: number;
}

const memory = 7;

function dotOf(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] ?? 0) * (b[i] ?? 0);
  return sum;
}

/** The L-BFGS two-loop recursion: an approximate Newton direction `−H g`. */
function direction(gradient: Float64Array, steps: Float64Array[], changes: Float64Array[]): Float64Array {
  const q = Float64Array.from(gradient);
  const alphas: number[] = [];
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i] as Float64Array;
    const y = changes[i] as Float64Array;
    const alpha = dotOf(s, q) / dotOf(y, s);
    alphas[i] = alpha;
    for (let j = 0; j < q.length; j++) q[j] = (q[j] ?? 0) - alpha * (y[j] ?? 0);
  }
  const last = steps.length - 1;
  const gamma =
    last >= 0
      ? dotOf(steps[last] as Float64Array, changes[last] as Float64Array) /
        dotOf(changes[last] as Float64Array, changes[last] as Float64Array)
      : 1;
  for (let j = 0; j < q.length; j++) q[j] = (q[j] ?? 0) * gamma;
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i] as Float64Array;
    const y = changes[i] as Float64Array;
    const beta = dotOf(y, q) / dotOf(y, s);
    for (let j = 0; j < q.length; j++) q[j] = (q[j] ?? 0) + ((alphas[i] ?? 0) - beta) * (s[j] ?? 0);
  }
  return q.map((value) => -value);
}

/** Backtracks from a unit step until the value drops enough; `undefined` when no step helps. */
function lineSearch(
  objective: Objective,
  x: Float64Array,
  value: number,
  gradient: Float64Array,
  d: Float64Array,
) {
  const slope = dotOf(gradient, d);
  for (let step = 1; step > 1e-10; step /= 2) {
    const next = x.map((xi, i) => xi + step * (d[i] ?? 0));
    const evaluated = objective(next);
    if (Number.isFinite(evaluated.value) && evaluated.value <= value + 1e-4 * step * slope) {
      return { x: next, ...evaluated };
    }
  }
  return undefined;
}

/** Minimises a smooth objective from `start`; returns the best point found. */
export function minimize(
  objective: Objective,
  start: ArrayLike<number>,
  options: MinimizeOptions = {},
): Float64Array {
  const tolerance = options.tolerance ?? 1e-6;
  let x = Float64Array.from(start);
  let { value, gradient } = objective(x);
  const steps: Float64Array[] = [];
  const changes: Float64Array[] = [];
  for (let iteration = 0; iteration < (options.iterations ?? 200); iteration++) {
    if (gradient.every((g) => Math.abs(g) < tolerance)) break;
    let d = direction(gradient, steps, changes);
    // A stale curvature memory can point uphill: fall back to steepest descent.
    if (dotOf(d, gradient) >= 0) d = gradient.map((g) => -g);
    // Without curvature memory the direction has the gradient's scale: start from a step of unit length.
    if (steps.length === 0) d = d.map((di) => di / Math.max(1, Math.sqrt(dotOf(d, d))));
    const next = lineSearch(objective, x, value, gradient, d);
    if (next === undefined) break;
    const s = next.x.map((xi, i) => xi - (x[i] ?? 0));
    const y = next.gradient.map((gi, i) => gi - (gradient[i] ?? 0));
    // Keep only pairs of positive curvature (relative to their size), so the inverse Hessian stays positive.
    if (dotOf(s, y) > 1e-10 * Math.sqrt(dotOf(s, s) * dotOf(y, y))) {
      steps.push(s);
      changes.push(y);
      if (steps.length > memory) {
        steps.shift();
        changes.shift();
      }
    }
    ({ x, value, gradient } = next);
  }
  return x;
}
