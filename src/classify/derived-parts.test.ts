/**
 * @module
 * Derived modalities (`<input>.<part>`, as `image.text`) at the edge, inside workerd, with the real text adapter given
 * a part `text.caps` (the words written in capitals) and an in-memory backend that answers the part as the OCR
 * model does: an embedding with `text` and `confidence` extras, or the adapter's `absent` refusal (`no-text`)
 * (`test/edge/caps-part.ts`).
 * The part is named and registered like a modality, read from its input's value (normalised once), shown in the
 * breakdown with what it read, missing — never refused, also when strict — when it is not there, skipped when
 * teaching, and never accepted as an input key of its own.
 */
import { describe, expect, it } from 'vitest';
import { defineAdapter } from '../../adapters/types.ts';
import { image } from '../../adapters/image/edge.ts';
import { capsBackend as backend, textWithCaps } from '../../test/edge/caps-part.ts';
import { colourTask } from '../../test/edge/colour-task.ts';
import { untimed } from '../../test/edge/embedding-backend.ts';
import { toApiError } from '../error-handler.ts';
import { scorersOf } from '../heads/task-heads.ts';
import { UnknownNameError } from '../lookup-error.ts';
import { createModalities } from '../modalities.ts';
import { ApiError } from '../problem.ts';
import type { Task } from '../tasks/schema.ts';
import { checkTaskInputs } from '../tasks/check.ts';
import { embedExamples } from '../tasks/teach.ts';
import { batchAnswer } from './answer.ts';
import { classify } from './pipeline.ts';
import { fromJson } from './request.ts';

const { adapter: text, counter } = textWithCaps();
const modalities = createModalities([text, image]);

const { text: textHead } = colourTask.modalities;
if (textHead === undefined) throw new Error('the colour task has a text head');
const task: Task = {
  ...colourTask,
  modalities: { text: textHead, 'text.caps': { ...textHead, model: 'caps' } },
  fusion: { strategy: 'weighted', weights: { text: 1, 'text.caps': 1 } },
};

async function run(items: Record<string, string>[], strict = false) {
  const calls: string[] = [];
  counter.normalized = 0;
  const services = { modalities, backend: backend(calls), time: untimed };
  const request = fromJson({ task: task.id, items: items.map((inputs) => ({ inputs })), strict });
  return { results: batchAnswer(await classify(task, scorersOf(task), request, services)), calls };
}

describe('derived modalities', () => {
  it('registers a part as <input>.<part>, with its own default model, reading its input', () => {
    expect(modalities.names).toEqual(['text', 'image']);
    expect(modalities.parts).toEqual(['text.caps', 'image.text']);
    expect(modalities.get('text.caps')).toMatchObject({ modality: 'text.caps', defaultModel: 'caps-model' });
    expect(modalities.inputOf('text.caps')).toBe('text');
    expect(modalities.inputOf('image')).toBe('image');
    expect(() => modalities.get('text.shout')).toThrow(
      new UnknownNameError('modality', 'text.shout', ['text', 'image', 'text.caps', 'image.text']),
    );
    expect(() => createModalities([text, defineAdapter({ ...image, modality: 'text.caps' })])).toThrow(
      'two adapters register the same modality',
    );
  });

  it('scores the input and its part from one value normalised once, the part showing what it read', async () => {
    const { results, calls } = await run([{ text: 'a dull sky with RED letters' }]);
    expect(counter.normalized).toBe(1);
    expect(calls.sort()).toEqual(['caps 1', 't 1']);
    const [result] = results;
    expect(result).toMatchObject({
      label: 'red',
      modalities: {
        text: { label: 'red' },
        'text.caps': { label: 'red', text: 'RED', confidence: 0.75 },
      },
      missing: [],
    });
    expect(result).not.toHaveProperty('modalities.text.text');
  });

  it('reports a part that is not there as missing with its reason, also when strict, and fuses the rest', async () => {
    for (const strict of [false, true]) {
      const { results } = await run([{ text: 'a red apple' }, { text: 'BLUE sky and red sun' }], strict);
      const [plain, both] = results;
      expect(plain).toMatchObject({
        label: 'red',
        fusion: { weights: { text: 1 } },
        missing: [
          { modality: 'text.caps', reason: 'no-text', detail: expect.stringContaining('no text found') },
        ],
      });
      expect(Object.keys((plain as { modalities: object }).modalities)).toEqual(['text']);
      expect(both).toMatchObject({
        missing: [],
        modalities: { 'text.caps': { label: 'blue', text: 'BLUE' } },
      });
    }
  });

  it('names a refused input once, though the input and its part were both refused', async () => {
    const { results } = await run([{ text: '' }], true);
    const [only] = results;
    expect(only).toMatchObject({ error: { status: 422, code: 'empty', input: 'items[0].inputs.text' } });
    expect((only as unknown as { error: { invalid: unknown[] } }).error.invalid).toHaveLength(1);
  });

  it('teaches every part of an example’s input, skipping a part that is not there', async () => {
    const calls: string[] = [];
    const examples = [
      { label: 'red', inputs: { text: 'RED' }, at: 'examples[0].inputs' },
      { label: 'blue', inputs: { text: 'only small words' }, at: 'examples[1].inputs' },
    ];
    const embedded = await embedExamples(task, examples, {
      modalities,
      backend: backend(calls),
      time: untimed,
    });
    expect(embedded.map(({ modality, index }) => `${modality} ${index}`)).toEqual([
      'text 0',
      'text.caps 0',
      'text 1',
    ]);
  });

  it('refuses a part’s name as an input key, listing the registered inputs (400)', () => {
    const check = (inputs: Record<string, string>) => () =>
      checkTaskInputs(task, modalities, [{ inputs, at: 'inputs' }]);
    expect(check({ 'text.caps': 'RED' })).toThrow(
      new UnknownNameError('modality', 'text.caps', ['text', 'image']),
    );
    const problem = toApiError(catchError(check({ 'text.caps': 'RED' })));
    expect(problem).toMatchObject({ status: 400, code: 'unknown-modality' });
    expect(catchError(check({ image: 'x' }))).toMatchObject({ status: 400, code: 'modality-not-in-task' });
    expect(check({ text: 'RED' })).not.toThrow();
  });
});

function catchError(work: () => void): unknown {
  try {
    work();
  } catch (error) {
    return error instanceof ApiError || error instanceof Error ? error : new Error(String(error));
  }
  throw new Error('expected an error');
}
