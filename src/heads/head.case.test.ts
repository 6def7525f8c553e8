/**
 * @module
 * The contract every head meets, run against each registered one (as `fusion/strategy.case.test.ts` runs the
 * strategies): a sound declaration; made ready the way a task makes it (its initial fields, its preparation, a fit
 * on examples), it scores any answer of the kind it consumes as a distribution over every label, the same way
 * twice, and refuses the other kind; blank, it scores or says why not, naming the modality; fitted on separated
 * examples, it gives each its label; and an embedding of another length is a dimension mismatch, never a guess.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { modelCatalog } from '../backend/model-catalog.ts';
import type { ModelInfo, ProviderLabel } from '../backend/types.ts';
import { isScorer, type Head, type HeadFields, type ModelAnswer, type Scorer } from './head.ts';
import { initialFields } from './model-fit.ts';
import { DimensionMismatchError, emptyPrototype, type LabelledEmbedding } from './prototype.ts';
import { heads } from './registry.ts';

const labels = ['red', 'green', 'blue'];
const dimension = 6;
/** A text model shares its own space (what the zero-shot head needs); the backend's metadata says it is one. */
const model = 'use-lite';
const textModel: ModelInfo = {
  kind: 'embedding',
  id: model,
  modality: 'text',
  dimension,
  executionProvider: 'cpu',
};
const models = modelCatalog(new Map(), {
  model: () => Promise.resolve(textModel),
  models: () => Promise.resolve([textModel]),
});

const blank = (): HeadFields => ({ temperature: 0.1, prototype: emptyPrototype() });

/** The unit vector of axis `i`, nudged by `jitter` on the next axis. */
function axis(i: number, jitter = 0): Float32Array {
  const vector = new Float32Array(dimension);
  vector[i % dimension] = 1;
  vector[(i + 1) % dimension] = jitter;
  return vector;
}

/** Four examples per label, each near its label's own axis. */
const separated: LabelledEmbedding[] = labels.flatMap((label, i) =>
  [0, 0.05, 0.1, 0.15].map((jitter) => ({ label, embedding: axis(i, jitter) })),
);

/** The head made ready as a task makes it. */
async function ready(head: Head): Promise<HeadFields> {
  const at = 'modalities.m';
  const setup = { at, modality: 'm', model, labels, given: {}, models };
  let fields: HeadFields = { ...blank(), ...(await initialFields(head, setup)) };
  const preparation = head.prepare?.(fields, labels, at);
  if (preparation) fields = { ...fields, ...preparation.complete(preparation.inputs.map((_, i) => axis(i))) };
  if (head.fit) fields = { ...fields, ...head.fit(separated, labels) };
  return fields;
}

async function readyScorer(head: Head): Promise<Scorer> {
  const scorer = head.scorer(await ready(head), labels, 'm');
  if (!isScorer(scorer)) throw new Error(`${head.name} is not ready: ${scorer.detail}`);
  return scorer;
}

const embedding = fc
  .array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: dimension, maxLength: dimension })
  .filter((values) => Math.hypot(...values) > 0.1)
  .map((values) => Float32Array.from(values));

const providerLabels: fc.Arbitrary<ProviderLabel[]> = fc.array(
  fc.record({
    label: fc.constantFrom(...labels, 'Red', 'tabby cat', ''),
    score: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(-1, Number.NaN, 5)),
  }),
  { maxLength: 8 },
);

const answerOf = (head: Head): fc.Arbitrary<ModelAnswer> =>
  head.consumes === 'embedding' ? embedding : providerLabels;

const otherAnswer = (head: Head): ModelAnswer =>
  head.consumes === 'embedding' ? [{ label: 'red', score: 1 }] : axis(0);

function expectDistribution(scores: readonly number[]): void {
  expect(scores).toHaveLength(labels.length);
  expect(scores.every((score) => score >= 0 && score <= 1)).toBe(true);
  expect(scores.reduce((sum, score) => sum + score, 0)).toBeCloseTo(1, 9);
}

const named = (list: readonly Head[]) => list.map((head) => [head.name, head] as const);

describe('the registered heads', () => {
  it('have distinct names, and own distinct options', () => {
    const names = heads.map((head) => head.name);
    expect(new Set(names).size).toBe(names.length);
    const options = heads.flatMap((head) => head.options?.names ?? []);
    expect(new Set(options).size).toBe(options.length);
  });
});

describe.each(named(heads))('head %s', (_, head) => {
  it('declares a name, what it consumes, and a description', () => {
    expect(head.name).toMatch(/^[a-z][a-z-]*$/);
    expect(['embedding', 'labels']).toContain(head.consumes);
    expect(head.description.length).toBeGreaterThan(10);
    // A model that answers labels gives no embedding to keep: such a head must refuse examples, in words.
    if (head.consumes === 'labels') expect(head.refusesExamples).toBeTypeOf('function');
    if (head.fitOnRefit) expect(head.fit).toBeTypeOf('function');
  });

  it('scores any answer of the kind it consumes as a distribution over every label, the same way twice', async () => {
    const scorer = await readyScorer(head);
    expect(scorer.consumes).toBe(head.consumes);
    fc.assert(
      fc.property(answerOf(head), (answer) => {
        const scores = scorer(answer);
        expectDistribution(scores);
        expect(scorer(answer)).toEqual(scores);
      }),
    );
  });

  it('refuses the other kind of answer', async () => {
    const scorer = await readyScorer(head);
    expect(() => scorer(otherAnswer(head))).toThrow(TypeError);
  });

  it('blank, scores or says why not, naming the modality', () => {
    const scorer = head.scorer(blank(), labels, 'mystery');
    if (isScorer(scorer)) expect(scorer.consumes).toBe(head.consumes);
    else {
      expect(['no-examples', 'not-fitted']).toContain(scorer.reason);
      expect(scorer.detail).toContain('mystery');
    }
  });
});

describe.each(named(heads.filter((head) => head.fit !== undefined)))('head %s, which learns', (_, head) => {
  it('fitted on separated examples, gives each its label', async () => {
    const scorer = await readyScorer(head);
    for (const { label, embedding } of separated) {
      const scores = scorer(embedding);
      expect(labels[scores.indexOf(Math.max(...scores))]).toBe(label);
    }
  });
});

describe.each(named(heads.filter((head) => head.consumes === 'embedding')))(
  'head %s, on embeddings',
  (_, head) => {
    it('refuses an embedding of another length', async () => {
      const scorer = await readyScorer(head);
      expect(() => scorer(new Float32Array(dimension + 1).fill(0.5))).toThrow(DimensionMismatchError);
    });
  },
);
