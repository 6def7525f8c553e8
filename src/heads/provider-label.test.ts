/**
 * @module
 * The provider-label head: which provider label lands on which task label, what happens to the unmapped mass
 * under each policy, the floor, and answers that are empty, unnormalised or broken. Every result must be a
 * distribution over the task's labels with no NaN.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mapProviderLabels, providerLabelFloor, providerLabelTargets } from './provider-label.ts';

const labels = ['cat', 'dog', 'bird'];

function expectDistribution(scores: readonly number[], size: number): void {
  expect(scores).toHaveLength(size);
  for (const score of scores) {
    expect(Number.isFinite(score)).toBe(true);
    expect(score).toBeGreaterThanOrEqual(providerLabelFloor * 0.99);
  }
  expect(scores.reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 9);
}

describe('providerLabelTargets', () => {
  it('maps by label_map first, then the same name exactly, then ignoring case', () => {
    const target = providerLabelTargets(labels, { 'tabby cat': 'cat', Puppy: 'dog', robin: 'bird' });
    expect(target('tabby cat')).toBe(0);
    expect(target('PUPPY')).toBe(1);
    expect(target('dog')).toBe(1);
    expect(target('Bird')).toBe(2);
    expect(target('lynx')).toBe(-1);
  });

  it('lets an explicit mapping win over a same-named label', () => {
    expect(providerLabelTargets(labels, { cat: 'dog' })('cat')).toBe(1);
  });

  it('ignores case only when one task label matches', () => {
    const target = providerLabelTargets(['Red', 'red', 'blue']);
    expect(target('Red')).toBe(0);
    expect(target('red')).toBe(1);
    expect(target('RED')).toBe(-1);
    expect(target('BLUE')).toBe(2);
  });
});

describe('mapProviderLabels', () => {
  const answer = [
    { label: 'tabby cat', score: 0.5 },
    { label: 'Egyptian cat', score: 0.2 },
    { label: 'Dog', score: 0.1 },
    { label: 'lynx', score: 0.1 },
  ];
  const labelMap = { 'tabby cat': 'cat', 'Egyptian cat': 'cat' };

  it('adds up the provider labels mapped to one task label and spreads the rest evenly', () => {
    const scores = mapProviderLabels(answer, labels, { labelMap });
    // mapped: cat 0.7, dog 0.1; unmapped: lynx 0.1 + 0.1 not returned → 0.2 / 3 each.
    const share = 0.2 / 3;
    expect(scores[0]).toBeCloseTo(0.7 + share, 5);
    expect(scores[1]).toBeCloseTo(0.1 + share, 5);
    expect(scores[2]).toBeCloseTo(share, 5);
    expectDistribution(scores, 3);
  });

  it('renormalises over the mapped mass with unmapped: drop', () => {
    const scores = mapProviderLabels(answer, labels, { labelMap, unmapped: 'drop' });
    expect(scores[0]).toBeCloseTo(0.7 / 0.8, 5);
    expect(scores[1]).toBeCloseTo(0.1 / 0.8, 5);
    expect(scores[2]).toBeCloseTo(providerLabelFloor, 8);
    expectDistribution(scores, 3);
  });

  it('gives a task label no provider label reaches the floor, not 0 or NaN', () => {
    const scores = mapProviderLabels([{ label: 'cat', score: 1 }], labels);
    expect(scores[1]).toBeCloseTo(providerLabelFloor, 8);
    expect(scores[2]).toBeCloseTo(providerLabelFloor, 8);
    expect(scores[0]).toBeCloseTo(1 - 2 * providerLabelFloor, 8);
  });

  it('answers uniform when nothing maps, under either policy, and for an empty answer', () => {
    const unrelated = [{ label: 'volcano', score: 0.9 }];
    for (const unmapped of ['spread', 'drop'] as const) {
      for (const given of [unrelated, []]) {
        const scores = mapProviderLabels(given, labels, { unmapped });
        scores.forEach((score) => expect(score).toBeCloseTo(1 / 3, 9));
      }
    }
  });

  it('scales scores that sum to more than 1 (independent sigmoids) and ignores broken ones', () => {
    const scores = mapProviderLabels(
      [
        { label: 'cat', score: 0.9 },
        { label: 'dog', score: 0.9 },
        { label: 'bird', score: Number.NaN },
        { label: 'bird', score: -3 },
      ],
      labels,
    );
    expect(scores[0]).toBeCloseTo(scores[1] ?? NaN, 9);
    expect(scores[0]).toBeCloseTo(0.5, 5);
    expectDistribution(scores, 3);
  });

  it('is always a distribution over the task labels, whatever the answer', () => {
    const providerLabel = fc.constantFrom('cat', 'CAT', 'dog', 'puppy', 'x', '');
    const score = fc.oneof(fc.double(), fc.double({ min: 0, max: 1, noNaN: true }));
    fc.assert(
      fc.property(
        fc.array(fc.record({ label: providerLabel, score }), { maxLength: 20 }),
        fc.constantFrom('spread' as const, 'drop' as const),
        (given, unmapped) => {
          expectDistribution(mapProviderLabels(given, labels, { labelMap: { puppy: 'dog' }, unmapped }), 3);
        },
      ),
    );
  });
});
