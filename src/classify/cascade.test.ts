/**
 * @module
 * The cost-aware cascade inside workerd, with the real adapters, real media and an in-memory backend that counts
 * its calls: a confident first stage sends nothing more to the backend and lists the rest as `cascade-stopped`;
 * an unconfident one goes on stage by stage until every modality is scored; a batch is still one call per model
 * and round; modalities the order does not name are scored first; `cascade: null` turns a cascade off.
 */
import { describe, expect, it } from 'vitest';
import { builtinAdapters } from '../../adapters/registry.ts';
import { blue, colourTask, red } from '../../test/edge/colour-task.ts';
import { corpusFile, dataUrlOf } from '../../test/support/media-corpus.ts';
import type { Backend } from '../backend/types.ts';
import { embeddingBackend, untimed } from '../../test/edge/embedding-backend.ts';
import type { Cascade } from '../fusion/cascade.ts';
import { scorersOf } from '../heads/task-heads.ts';
import { createModalities } from '../modalities.ts';
import { ApiError } from '../problem.ts';
import type { Classification } from './schema.ts';
import { classify } from './pipeline.ts';
import { fromJson } from './request.ts';

const wav = dataUrlOf(corpusFile('audio/wav-sox-pipe-7ffff000.wav'));
const png = dataUrlOf(corpusFile('image/png-imagemagick-16bit.png'));

/** Text says red or blue by its words, else nothing (an even split); pictures look red, recordings sound blue. */
function embedding(modality: string, bytes: Uint8Array): Float32Array {
  if (modality === 'image') return Float32Array.from(red);
  if (modality === 'audio') return Float32Array.from(blue);
  const text = new TextDecoder().decode(bytes);
  if (text.includes('red')) return Float32Array.from(red);
  return Float32Array.from(text.includes('blue') ? blue : [1, 1]);
}

/** Records `model count` per call, in the order they were made. */
function countingBackend(calls: string[]): Backend {
  return embeddingBackend((model, inputs) => {
    calls.push(`${model} ${inputs.length}`);
    return Promise.resolve(inputs.map((input) => embedding(input.modality, input.bytes)));
  });
}

type Item = { inputs: Record<string, string>; fusion?: { cascade: Cascade | null } };

async function run(items: Item[], cascade: Cascade) {
  const calls: string[] = [];
  const services = {
    modalities: createModalities(builtinAdapters),
    backend: countingBackend(calls),
    time: untimed,
  };
  const request = fromJson({ task: colourTask.id, items, fusion: { cascade } });
  const results = await classify(colourTask, scorersOf(colourTask), request, services);
  const answered = results.map((result) => {
    if (result instanceof ApiError) throw result;
    return result;
  });
  return { answered, calls };
}

const stopped = (modality: string, detail: RegExp) => ({
  modality,
  reason: 'cascade-stopped',
  detail: expect.stringMatching(detail) as string,
});

const byCost = { order: ['text', 'image', 'audio'], stop_at: 0.9 };

const fused = (result: Classification | undefined) => Object.keys(result?.modalities ?? {});

describe('a cost-aware cascade', () => {
  it('sends nothing after a confident text: image and audio never reach the backend', async () => {
    const { answered, calls } = await run(
      [{ inputs: { text: 'a red apple', image: png, audio: wav } }],
      byCost,
    );
    expect(calls).toEqual(['t 1']);
    const [result] = answered;
    expect(result?.label).toBe('red');
    expect(fused(result)).toEqual(['text']);
    const because = /^the fused top score 1\.000 of text reached stop_at 0\.9$/;
    expect(result?.missing).toEqual([stopped('image', because), stopped('audio', because)]);
  });

  it('scores every modality, stage by stage, when the threshold is never reached', async () => {
    const { answered, calls } = await run([{ inputs: { text: 'a shape', image: png, audio: wav } }], byCost);
    expect(calls).toEqual(['t 1', 'i 1', 'a 1']);
    const [result] = answered;
    expect(fused(result)).toEqual(['text', 'image', 'audio']);
    expect(result?.missing).toEqual([]);
    expect(result?.scores[0]?.score).toBeLessThan(0.9);
  });

  it('answers a batch a round at a time, one call per model and round, each item stopping on its own', async () => {
    const { answered, calls } = await run(
      [
        { inputs: { text: 'red', image: png, audio: wav } },
        { inputs: { text: 'a shape', image: png, audio: wav } },
        { inputs: { image: png, audio: wav } },
      ],
      byCost,
    );
    // Round 1: both texts, and the third item's image (its first stage); round 2: the second item's image.
    expect(calls).toEqual(['t 2', 'i 1', 'i 1', 'a 1']);
    const [first, second, third] = answered;
    expect(fused(first)).toEqual(['text']);
    expect(fused(second)).toEqual(['text', 'image', 'audio']);
    expect(fused(third)).toEqual(['image']);
    expect(third?.missing).toEqual([
      { modality: 'text', reason: 'absent' },
      stopped('audio', /of image reached stop_at 0\.9$/),
    ]);
  });

  it('scores the modalities the order does not name with the first stage', async () => {
    const order = { order: ['text', 'audio'], stop_at: 0.9 };
    const { answered, calls } = await run([{ inputs: { text: 'red', image: png, audio: wav } }], order);
    expect(calls.sort()).toEqual(['i 1', 't 1']);
    expect(answered[0]?.missing).toEqual([stopped('audio', /of text, image reached/)]);
  });

  it("lets an item turn the request's cascade off with null", async () => {
    const inputs = { text: 'red', image: png, audio: wav };
    const { answered, calls } = await run([{ inputs }, { inputs, fusion: { cascade: null } }], byCost);
    expect(calls.sort()).toEqual(['a 1', 'i 1', 't 2']);
    expect(fused(answered[1])).toEqual(['text', 'image', 'audio']);
  });
});
