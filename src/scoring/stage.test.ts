/**
 * @module
 * The scoring stage with the real adapters and an in-memory backend that records its calls (the real backend is
 * in the e2e tests): one call per model and answer kind for all inputs, answers back in order, an input asked
 * nothing only checked, a failing model marking its own inputs unavailable and no others, a refused input settling
 * on its own (at the edge without a backend call; on the backend found by splitting its call, so the call's other
 * inputs keep their answers), and the strict form refusing the request with every refused input named.
 */
import { untimed } from '../../test/edge/embedding-backend.ts';
import { describe, expect, it } from 'vitest';
import { builtinAdapters } from '../../adapters/registry.ts';
import { BackendError, BackendInputError } from '../backend/errors.ts';
import type { Backend } from '../backend/types.ts';
import { createModalities } from '../modalities.ts';
import { ApiError } from '../problem.ts';
import { answerInputs, askModels, embeddingsOf, type InputOutcome, type StageInput } from './stage.ts';

interface Recorded extends Backend {
  readonly calls: string[];
}

interface Behaviour {
  /** Models that are down. */
  readonly down?: readonly string[];
  /** Texts any model refuses: a call holding one is refused whole, as KServe refuses a batch. */
  readonly refuses?: readonly string[];
  /** Whether a refusal names the refused items (this repo's backend) or not (Triton). */
  readonly names?: boolean;
}

/** Embeds a text as [its length, the call's batch size]; see {@link Behaviour}. */
function backend({ down = [], refuses = [], names = false }: Behaviour = {}): Recorded {
  const calls: string[] = [];
  const answer = (model: string, inputs: readonly { bytes: Uint8Array }[]) => {
    if (down.includes(model)) throw new BackendError('unavailable', `${model} is down`);
    const texts = inputs.map((input) => new TextDecoder().decode(input.bytes));
    const items = texts.flatMap((text, index) =>
      refuses.includes(text) ? [{ index, message: `cannot use ${text}`, code: 'malformed' }] : [],
    );
    const [first] = items;
    if (first) throw new BackendInputError(model, first.message, first.code, names ? items : undefined);
  };
  return {
    url: 'http://backend.test',
    calls,
    embed(model, inputs) {
      calls.push(`embed ${model} ${inputs.length}`);
      answer(model, inputs);
      return Promise.resolve(inputs.map((input) => Float32Array.of(input.bytes.length, inputs.length)));
    },
    classify(model, inputs) {
      calls.push(`classify ${model} ${inputs.length}`);
      answer(model, inputs);
      return Promise.resolve(inputs.map(() => [{ label: 'cat', score: 0.9 }]));
    },
    models: () => Promise.resolve([]),
    model: () => Promise.reject(new BackendError('unknown-model', 'none')),
    ready: () => Promise.resolve(true),
  };
}

const modalities = createModalities(builtinAdapters);
const services = (recorded: Recorded) => ({ modalities, backend: recorded, time: untimed });

const text = (value: string, model?: string): StageInput => ({
  modality: 'text',
  value,
  at: `inputs.${value || 'empty'}`,
  ...(model ? { ask: { model, kind: 'embedding' } } : {}),
});

function kinds(outcomes: readonly InputOutcome[]): string[] {
  return outcomes.map((outcome) =>
    outcome.kind === 'refused' ? `refused ${outcome.problem.message}` : outcome.kind,
  );
}

async function refusalOf(work: Promise<unknown>): Promise<ApiError> {
  const error = await work.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof ApiError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error;
}

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
    const answers = await askModels(inputs, services(recorded));
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
    const answers = await askModels(
      [text('a', 'm1'), text('b', 'down')],
      services(backend({ down: ['down'] })),
    );
    expect(answers.map((answer) => answer.kind)).toEqual(['embedding', 'unavailable']);
    expect(() => embeddingsOf(answers)).toThrow('down is down');
  });

  it('settles an input its adapter refuses on its own, asking the model only for the others', async () => {
    const recorded = backend();
    const outcomes = await answerInputs([text('fine', 'm1'), text('', 'm1')], services(recorded));
    expect(kinds(outcomes)).toEqual(['embedding', 'refused inputs.empty: text is empty']);
    expect(recorded.calls).toEqual(['embed m1 1']);
  });

  it('halves a refused call that names no input until the refused one is found, keeping the others', async () => {
    const recorded = backend({ refuses: ['bad'] });
    const inputs = ['a', 'b', 'bad', 'c'].map((value) => text(value, 'm1'));
    const outcomes = await answerInputs(inputs, services(recorded));
    expect(kinds(outcomes)).toEqual([
      'embedding',
      'embedding',
      'refused inputs.bad: the m1 model could not use an input: cannot use bad',
      'embedding',
    ]);
    expect(recorded.calls).toEqual(['embed m1 4', 'embed m1 2', 'embed m1 2', 'embed m1 1', 'embed m1 1']);
    const problem = outcomes[2]?.kind === 'refused' ? outcomes[2].problem : undefined;
    expect(problem).toMatchObject({ status: 422, code: 'input-rejected-by-model' });
    expect(problem?.options.extensions).toMatchObject({ input: 'inputs.bad', adapterCode: 'malformed' });
  });

  it('asks the others once more when the refusal names its inputs', async () => {
    const recorded = backend({ refuses: ['bad', 'worse'], names: true });
    const inputs = ['a', 'bad', 'b', 'worse'].map((value) => text(value, 'm1'));
    const outcomes = await answerInputs(inputs, services(recorded));
    expect(kinds(outcomes)).toEqual([
      'embedding',
      'refused inputs.bad: the m1 model could not use an input: cannot use bad',
      'embedding',
      'refused inputs.worse: the m1 model could not use an input: cannot use worse',
    ]);
    expect(recorded.calls).toEqual(['embed m1 4', 'embed m1 2']);
  });

  it('refuses the request in the strict form, naming every refused input, at the edge and on the backend', async () => {
    const recorded = backend({ refuses: ['bad'] });
    const inputs = [text('', 'm1'), text('a', 'm1'), text('bad', 'm1')];
    const error = await refusalOf(askModels(inputs, services(recorded)));
    expect(error).toMatchObject({ status: 422, code: 'empty' });
    expect(error.message).toBe(
      '2 inputs could not be used: inputs.empty: text is empty; ' +
        'inputs.bad: the m1 model could not use an input: cannot use bad',
    );
    expect(error.options.extensions?.invalid).toEqual([
      { input: 'inputs.empty', status: 422, code: 'empty', detail: 'inputs.empty: text is empty' },
      {
        input: 'inputs.bad',
        status: 422,
        code: 'input-rejected-by-model',
        detail: 'inputs.bad: the m1 model could not use an input: cannot use bad',
      },
    ]);
  });

  it('refuses with the one refused input as its own problem', async () => {
    const error = await refusalOf(askModels([text('a', 'm1'), text('', 'm1')], services(backend())));
    expect(error).toMatchObject({ status: 422, code: 'empty', message: 'inputs.empty: text is empty' });
    expect(error.options.extensions).toMatchObject({
      input: 'inputs.empty',
      invalid: [{ input: 'inputs.empty' }],
    });
  });
});
