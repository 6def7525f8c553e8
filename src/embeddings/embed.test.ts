/**
 * @module
 * How the embeddings pipeline finds its model: from the model's own metadata (one backend request, kept per
 * isolate with the infer call's), never the whole list on the way to an answer — that list cost an isolate's first
 * request the backend's index and every model's metadata (`bench:cold`). An unknown model is still a 404 naming
 * the known ones.
 */
import { describe, expect, it } from 'vitest';
import { builtinAdapters } from '../../adapters/registry.ts';
import { BackendError } from '../backend/errors.ts';
import type { Backend, EmbeddingModelInfo } from '../backend/types.ts';
import { modelCatalog } from '../backend/model-catalog.ts';
import { createModalities } from '../modalities.ts';
import { untimed } from '../../test/edge/embedding-backend.ts';
import { ApiError } from '../problem.ts';
import { embed } from './embed.ts';

const textModel: EmbeddingModelInfo = {
  id: 'use-lite',
  modality: 'text',
  kind: 'embedding',
  dimension: 2,
  executionProvider: 'cpu',
};

/** A backend serving `use-lite` that records which metadata it was asked for. */
function recording(): Backend & { asked: string[] } {
  const asked: string[] = [];
  return {
    url: 'http://backend.test',
    asked,
    embed: (_, inputs) => Promise.resolve(inputs.map(() => Float32Array.of(0.6, 0.8))),
    classify: () => Promise.reject(new Error('unused')),
    models: () => {
      asked.push('list');
      return Promise.resolve([textModel]);
    },
    model: (name) => {
      asked.push(`model ${name}`);
      return name === textModel.id
        ? Promise.resolve(textModel)
        : Promise.reject(new BackendError('unknown-model', `the backend does not serve ${name}`));
    },
    ready: () => Promise.resolve(true),
  };
}

const services = (backend: Backend) => ({
  modalities: createModalities(builtinAdapters),
  backend,
  models: modelCatalog(new Map(), backend),
  time: untimed,
});

describe('embed: finding the model', () => {
  it("reads the model's own metadata, not the whole model list", async () => {
    const backend = recording();
    const answer = await embed(
      { model: 'use-lite', input: 'hello there', encoding_format: 'float' as const },
      services(backend),
    );
    expect(answer.data[0]?.embedding).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)]);
    expect(backend.asked).toEqual(['model use-lite']);
  });

  it('answers an unknown model with a 404 that names the known ones', async () => {
    const backend = recording();
    const error = await embed(
      { model: 'nope', input: 'x', encoding_format: 'float' as const },
      services(backend),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 404,
      code: 'unknown-model',
      options: { extensions: { known: ['use-lite'] } },
    });
    expect(backend.asked).toEqual(['model nope', 'list']);
  });
});
