/**
 * @module
 * The classify pipeline inside workerd with the real adapters, broken files of the media corpus and an in-memory
 * backend that embeds by modality and refuses the PNG only a decoder sees is broken, naming it as this repo's
 * backend does (the real one: `test/e2e/partial-fusion.test.ts`): an item with a broken input is answered from the
 * rest, an item with nothing usable is refused in its place, and strict refuses every item with a broken input.
 */
import { describe, expect, it } from 'vitest';
import { builtinAdapters } from '../../adapters/registry.ts';
import { blue, colourTask, red } from '../../test/edge/colour-task.ts';
import { corpusFile, dataUrlOf } from '../../test/support/media-corpus.ts';
import { BackendInputError } from '../backend/errors.ts';
import type { Backend } from '../backend/types.ts';
import { embeddingBackend, untimed } from '../../test/edge/embedding-backend.ts';
import { scorersOf } from '../heads/task-heads.ts';
import { createModalities } from '../modalities.ts';
import { ApiError } from '../problem.ts';
import { batchAnswer } from './answer.ts';
import { classify } from './pipeline.ts';
import { fromJson } from './request.ts';

const goodWav = dataUrlOf(corpusFile('audio/wav-sox-pipe-7ffff000.wav'));
const goodPng = dataUrlOf(corpusFile('image/png-imagemagick-16bit.png'));
/** The edge refuses it: cut inside its fmt chunk. */
const cutWav = dataUrlOf(corpusFile('audio/wav-cut-in-fmt.wav'));
/** Only a decoder refuses it: its IDAT is corrupt. */
const corruptPng = corpusFile('image/png-corrupt-idat.png');

const task = colourTask;

const sameBytes = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((byte, i) => byte === b[i]);

/** Text says red or blue by its words; every picture looks red, every recording sounds blue. */
function backend(calls: string[]): Backend {
  return embeddingBackend((model, inputs) => {
    calls.push(`${model} ${inputs.length}`);
    const items = inputs.flatMap((input, index) =>
      sameBytes(input.bytes, corruptPng.bytes) ? [{ index, message: 'image could not be decoded' }] : [],
    );
    const [first] = items;
    if (first) return Promise.reject(new BackendInputError(model, first.message, 'malformed', items));
    return Promise.resolve(
      inputs.map((input) => {
        if (input.modality === 'image') return Float32Array.from(red);
        if (input.modality === 'audio') return Float32Array.from(blue);
        return Float32Array.from(new TextDecoder().decode(input.bytes).includes('red') ? red : blue);
      }),
    );
  });
}

async function run(items: Record<string, string>[], strict = false) {
  const calls: string[] = [];
  const services = { modalities: createModalities(builtinAdapters), backend: backend(calls), time: untimed };
  const request = fromJson({ task: task.id, items: items.map((inputs) => ({ inputs })), strict });
  return { results: await classify(task, scorersOf(task), request, services), calls };
}

describe('classify with broken inputs', () => {
  it('answers a text + image + broken-audio item from the text and image, the audio reported', async () => {
    const { results, calls } = await run([{ text: 'a red apple', image: goodPng, audio: cutWav }]);
    const [result] = results;
    if (result === undefined || result instanceof ApiError)
      throw new Error(`not answered: ${String(result)}`);
    expect(result.label).toBe('red');
    expect(Object.keys(result.modalities)).toEqual(['text', 'image']);
    expect(result.fusion.weights).toEqual({ text: 0.5, image: 0.5 });
    expect(result.missing).toEqual([
      {
        modality: 'audio',
        reason: 'invalid-input',
        type: '/problems/malformed',
        title: 'Unprocessable Content',
        status: 422,
        code: 'malformed',
        detail: expect.stringMatching(/^items\[0\]\.inputs\.audio: WAV could not be read/) as string,
      },
    ]);
    expect(calls.sort()).toEqual(['i 1', 't 1']);
  });

  it('judges batch items one by one: a picture the model refuses costs only its own item that modality', async () => {
    const corrupt = dataUrlOf(corruptPng);
    const { results, calls } = await run([
      { text: 'something', image: corrupt, audio: goodWav },
      { text: 'red', image: goodPng },
      { image: corrupt },
    ]);
    const [first, second, third] = batchAnswer(results);
    expect(first).toMatchObject({
      label: 'blue',
      missing: [{ modality: 'image', reason: 'invalid-input', status: 422, code: 'input-rejected-by-model' }],
    });
    expect(second).toMatchObject({ label: 'red', missing: [{ modality: 'audio', reason: 'absent' }] });
    expect(third).toEqual({
      error: expect.objectContaining({ status: 422, code: 'input-rejected-by-model' }) as object,
    });
    expect(JSON.stringify(third)).toContain('items[2].inputs.image: the i model could not use an input');
    // The image call names its refused inputs, so the good picture is asked once more, alone.
    expect(calls.filter((call) => call.startsWith('i ')).sort()).toEqual(['i 1', 'i 3']);
  });

  it('refuses, when strict, every item with a broken input, and answers the others', async () => {
    const { results } = await run(
      [
        { text: 'red', audio: cutWav },
        { text: 'red', image: goodPng },
      ],
      true,
    );
    const [first, second] = batchAnswer(results);
    expect(first).toEqual({
      error: expect.objectContaining({
        status: 422,
        code: 'malformed',
        input: 'items[0].inputs.audio',
      }) as object,
    });
    expect(second).toMatchObject({ label: 'red', missing: [{ modality: 'audio', reason: 'absent' }] });
  });
});
