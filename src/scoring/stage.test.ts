/**
 * @module
 * The scoring stage with the real adapters and an in-memory backend that records its calls (the real backend is
 * in the e2e tests): one call per model and answer kind for all inputs, answers back in order, an input asked
 * nothing only checked, a failing model marking its own inputs unavailable and no others, and a refused input
 * failing the request — at the edge before any backend call, at the backend as its model's refusal.
 */
import { describe, expect, it } from 'vitest';
import { builtinAdapters } from '../../adapters/registry.ts';
import { isAdapterInputError } from '../../adapters/errors.ts';
import { BackendError, BackendInputError } from '../backend/errors.ts';
import type { Backend } from '../backend/types.ts';
import { createModalities } from '../modalities.ts';
import { askModels, embeddingsOf, type StageInput } from './stage.ts';

interface Recorded extends Backend {
  readonly calls: string[];
}

/** Embeds a text as [its length, the call's batch size]; `down` models fail, `picky` ones refuse. */
function backend(down: readonly string[] = [], picky: readonly string[] = []): Recorded {
  const calls: string[] = [];
  const answer = (model: string) => {
    if (down.includes(model)) throw new BackendError('unavailable', `${model} is down`);
    if (picky.includes(model)) throw new BackendInputError(model, 'cannot use it');
  };
  return {
    url: 'http://backend.test',
    calls,
    embed(model, inputs) {
      calls.push(`embed ${model} ${inputs.length}`);
      answer(model);
      return Promise.resolve(inputs.map((input) => Float32Array.of(input.bytes.length, inputs.length)));
    },
    classify(model, inputs) {
      calls.push(`classify ${model} ${inputs.length}`);
      answer(model);
      return Promise.resolve(inputs.map(() => [{ label: 'cat', score: 0.9 }]));
    },
    models: () => Promise.resolve([]),
    model: () => Promise.reject(new BackendError('unknown-model', 'none')),
    ready: () => Promise.resolve(true),
  };
}

const modalities = createModalities(builtinAdapters);
const time = <T>(_: string, work: () => T | Promise<T>) => Promise.resolve(work());

const text = (value: string, model?: string): StageInput => ({
  modality: 'text',
  value,
  at: `inputs.${value || 'empty'}`,
  ...(model ? { ask: { model, kind: 'embedding' } } : {}),
});

describe('the scoring stage', () => {
  it('asks each model once for all its inputs and hands every answer back to its input', async () => {
    const recorded = backend();
    const inputs = [
      text('a', 'm1'),
      text('bb', 'm2'),
      text('ccc', 'm1'),
      text('only checked'),
      { ...text('dddd'), ask: { model: 'm1', kind: 'labels' } } as const,
    ];
    const answers = await askModels(inputs, { modalities, backend: recorded, time });
    expect([...recorded.calls].sort()).toEqual(['classify m1 1', 'embed m1 2', 'embed m2 1']);
    expect(answers.map((answer) => answer.kind)).toEqual([
      'embedding',
      'embedding',
      'embedding',
      'checked',
      'labels',
    ]);
    expect(embeddingsOf(answers.slice(0, 3)).map((vector) => [...vector])).toEqual([
      [1, 2],
      [2, 1],
      [3, 2],
    ]);
  });

  it('marks only the inputs of a failing model unavailable', async () => {
    const answers = await askModels([text('a', 'm1'), text('b', 'down')], {
      modalities,
      backend: backend(['down']),
      time,
    });
    expect(answers.map((answer) => answer.kind)).toEqual(['embedding', 'unavailable']);
    expect(() => embeddingsOf(answers)).toThrow('down is down');
  });

  it('fails on the first input its adapter refuses, before any backend call', async () => {
    const recorded = backend();
    const refused = await askModels([text('fine', 'm1'), text('', 'm1'), text('', 'm2')], {
      modalities,
      backend: recorded,
      time,
    }).catch((error: unknown) => error);
    expect(isAdapterInputError(refused) && refused.message).toMatch(/^inputs\.empty: /);
    expect(recorded.calls).toEqual([]);
  });

  it("fails with the model's refusal of an input it could not use", async () => {
    const refusal = askModels([text('a', 'm1'), text('b', 'picky')], {
      modalities,
      backend: backend([], ['picky']),
      time,
    });
    await expect(refusal).rejects.toBeInstanceOf(BackendInputError);
  });
});
