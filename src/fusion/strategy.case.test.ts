/**
 * @module
 * The contract every fusion strategy meets, run against each registered one: a distribution out, invariance to
 * the order of modalities and to the scale of the weights, a zero weight or a missing modality changes nothing
 * (the rest renormalise), one modality passes through, and — for the pooling rules — unanimous modalities too.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renormalize } from '../distribution.ts';
import { fuse, type Decision } from './fuse.ts';
import { strategies, type StrategyName } from './registry.ts';

/** Vote answers vote shares, stacking learned logits: neither returns unanimous inputs unchanged. */
const pools: readonly StrategyName[] = ['weighted', 'product', 'max', 'confidence'];

const labels = ['a', 'b', 'c', 'd', 'e', 'f'];

const distribution = (size: number) =>
  fc
    .array(fc.double({ min: 1e-6, max: 1, noNaN: true }), { minLength: size, maxLength: size })
    .map((scores) => renormalize(scores));

/** 2..6 labels and 1..4 modalities with positive weights. */
const scenario = fc.integer({ min: 2, max: 6 }).chain((size) =>
  fc.record({
    labels: fc.constant(labels.slice(0, size)),
    distributions: fc.array(distribution(size), { minLength: 1, maxLength: 4 }),
    weights: fc.array(fc.double({ min: 0.01, max: 10, noNaN: true }), { minLength: 4, maxLength: 4 }),
  }),
);

function decisionsOf(distributions: number[][]): Decision[] {
  return distributions.map((scores, i) => ({ modality: `m${i}`, scores }));
}

function weightsOf(weights: number[], count: number): Record<string, number> {
  return Object.fromEntries(weights.slice(0, count).map((weight, i) => [`m${i}`, weight]));
}

function scoreMap(result: ReturnType<typeof fuse>): Record<string, number> {
  return Object.fromEntries(result.scores.map(({ label, score }) => [label, score]));
}

function expectClose(actual: Record<string, number>, expected: Record<string, number>): void {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const [label, score] of Object.entries(expected)) expect(actual[label]).toBeCloseTo(score, 9);
}

describe.each(strategies.map((strategy) => [strategy.name] as const))('fusion strategy %s', (strategy) => {
  it('returns a distribution over every label, best first', () => {
    fc.assert(
      fc.property(scenario, ({ labels, distributions, weights }) => {
        const result = fuse(labels, decisionsOf(distributions), {
          strategy,
          weights: weightsOf(weights, distributions.length),
        });
        const scores = result.scores.map((s) => s.score);
        expect(result.scores.map((s) => s.label).sort()).toEqual([...labels].sort());
        expect(scores.reduce((sum, score) => sum + score, 0)).toBeCloseTo(1, 9);
        expect(scores.every((score) => score >= 0 && score <= 1)).toBe(true);
        expect(scores).toEqual([...scores].sort((a, b) => b - a));
        expect(result.label).toBe(result.scores[0]?.label);
      }),
    );
  });

  it('does not depend on the order of the modalities', () => {
    fc.assert(
      fc.property(scenario, ({ labels, distributions, weights }) => {
        const decisions = decisionsOf(distributions);
        const options = { strategy, weights: weightsOf(weights, distributions.length) };
        const forward = fuse(labels, decisions, options);
        const backward = fuse(labels, [...decisions].reverse(), options);
        expectClose(scoreMap(backward), scoreMap(forward));
      }),
    );
  });

  it('does not depend on the scale of the weights', () => {
    fc.assert(
      fc.property(scenario, fc.double({ min: 0.1, max: 100, noNaN: true }), (s, factor) => {
        const decisions = decisionsOf(s.distributions);
        const weights = weightsOf(s.weights, s.distributions.length);
        const scaled = Object.fromEntries(Object.entries(weights).map(([m, w]) => [m, w * factor]));
        expectClose(
          scoreMap(fuse(s.labels, decisions, { strategy, weights: scaled })),
          scoreMap(fuse(s.labels, decisions, { strategy, weights })),
        );
      }),
    );
  });

  it('ignores a modality of weight 0', () => {
    fc.assert(
      fc.property(scenario, distribution(6), ({ labels, distributions, weights }, extra) => {
        const decisions = decisionsOf(distributions);
        const used = weightsOf(weights, distributions.length);
        const ignored = { modality: 'ignored', scores: renormalize(extra.slice(0, labels.length)) };
        const withZero = fuse(labels, [...decisions, ignored], {
          strategy,
          weights: { ...used, ignored: 0 },
        });
        expectClose(scoreMap(withZero), scoreMap(fuse(labels, decisions, { strategy, weights: used })));
        expect(withZero.weights.ignored).toBe(0);
      }),
    );
  });

  it('renormalises over the rest when a modality is missing', () => {
    fc.assert(
      fc.property(scenario, ({ labels, distributions, weights }) => {
        const decisions = decisionsOf(distributions);
        const all = weightsOf(weights, distributions.length);
        const missing = decisions.slice(1);
        if (missing.length === 0) return;
        const zeroed = fuse(labels, decisions, { strategy, weights: { ...all, m0: 0 } });
        const absent = fuse(labels, missing, { strategy, weights: all });
        expectClose(scoreMap(absent), scoreMap(zeroed));
        expect(Object.values(absent.weights).reduce((sum, w) => sum + w, 0)).toBeCloseTo(1, 12);
      }),
    );
  });

  it('passes a single modality through', () => {
    fc.assert(
      fc.property(scenario, ({ labels, distributions }) => {
        const [only = []] = distributions;
        const expected = Object.fromEntries(labels.map((label, i) => [label, only[i] ?? 0]));
        const single = fuse(labels, [{ modality: 'solo', scores: only }], { strategy });
        expectClose(scoreMap(single), expected);
        expect(single.weights).toEqual({ solo: 1 });
      }),
    );
  });

  it('reports weights that sum to 1 over the present modalities', () => {
    fc.assert(
      fc.property(scenario, ({ labels, distributions, weights }) => {
        const result = fuse(labels, decisionsOf(distributions), {
          strategy,
          weights: weightsOf(weights, distributions.length),
        });
        expect(Object.keys(result.weights)).toHaveLength(distributions.length);
        expect(Object.values(result.weights).reduce((sum, w) => sum + w, 0)).toBeCloseTo(1, 12);
      }),
    );
  });
});

describe.each(pools.map((name) => [name] as const))('pooling rule %s', (strategy) => {
  it('passes unanimous modalities through', () => {
    fc.assert(
      fc.property(scenario, ({ labels, distributions, weights }) => {
        const [only = []] = distributions;
        const expected = Object.fromEntries(labels.map((label, i) => [label, only[i] ?? 0]));
        const unanimous = decisionsOf(distributions.map(() => only));
        const options = { strategy, weights: weightsOf(weights, distributions.length) };
        expectClose(scoreMap(fuse(labels, unanimous, options)), expected);
      }),
    );
  });
});
