/**
 * @module
 * The model catalog over a repository's metadata (model facts as the KServe client reads them): which text model
 * shares a model's space, from the spaces models declare — a text model its own, a ConSE image model USE-lite's,
 * the model named like the space before the others, none without a declared space or a text model in it — and
 * what the backend's models and the provider models of `MODELS` give.
 */
import { describe, expect, it } from 'vitest';
import { image } from '../../adapters/image/edge.ts';
import { text } from '../../adapters/text/edge.ts';
import { video } from '../../adapters/video/edge.ts';
import { createModalities } from '../modalities.ts';
import { parseBackendModels } from './backend-models.ts';
import { BackendError } from './errors.ts';
import { modelCatalog } from './model-catalog.ts';
import { parseModels } from './provider-models.ts';
import type { ModelInfo } from './types.ts';

function info(id: string, modality: string, embeddingSpace?: string): ModelInfo {
  const space = embeddingSpace === undefined ? {} : { embeddingSpace };
  return { kind: 'embedding', id, modality, dimension: 4, executionProvider: 'cpu', ...space };
}

const served: ModelInfo[] = [
  info('html-use-lite', 'html', 'use-lite'),
  info('mobilenetv2-conse', 'image', 'use-lite'),
  info('mobilenetv2-int8', 'image'),
  info('minilm', 'text'),
  info('clap-audio', 'audio', 'clap'),
  info('clap-text-b', 'text', 'clap'),
  info('clap-text-a', 'text', 'clap'),
  info('lonely-image', 'image', 'nobody'),
  info('use-lite-fast', 'text', 'use-lite'),
  info('use-lite', 'text', 'use-lite'),
];

const backend = {
  model(name: string) {
    const found = served.find((model) => model.id === name);
    return found ? Promise.resolve(found) : Promise.reject(new BackendError('unknown-model', name));
  },
  models: () => Promise.resolve(served),
};

const catalog = modelCatalog(new Map(), backend);

describe('shared spaces, from what models declare', () => {
  it('pairs a model with the text model of its space, the one named like the space first', async () => {
    expect(await catalog.textModelSharing('mobilenetv2-conse')).toBe('use-lite');
    expect(await catalog.textModelSharing('html-use-lite')).toBe('use-lite');
    expect(await catalog.textModelSharing('clap-audio')).toBe('clap-text-a');
    expect(await catalog.spaceOf('mobilenetv2-conse')).toBe('use-lite');
  });

  it('pairs a text model with itself, with or without a declared space', async () => {
    expect(await catalog.textModelSharing('use-lite-fast')).toBe('use-lite-fast');
    expect(await catalog.textModelSharing('minilm')).toBe('minilm');
    expect(await catalog.spaceOf('minilm')).toBeUndefined();
  });

  it('pairs nothing without a declared space or a text model in it', async () => {
    expect(await catalog.textModelSharing('mobilenetv2-int8')).toBeUndefined();
    expect(await catalog.textModelSharing('lonely-image')).toBeUndefined();
  });

  it('lists every model that has a text pair, in the backend’s order', async () => {
    expect(await catalog.sharingSpace()).toEqual([
      'html-use-lite',
      'mobilenetv2-conse',
      'minilm',
      'clap-audio',
      'clap-text-b',
      'clap-text-a',
      'use-lite-fast',
      'use-lite',
    ]);
  });

  it('passes on the backend’s errors (an unknown model, a backend down)', async () => {
    await expect(catalog.textModelSharing('nope')).rejects.toMatchObject({ kind: 'unknown-model' });
    const down = modelCatalog(new Map(), {
      model: () => Promise.reject(new BackendError('unavailable', 'down')),
      models: () => Promise.reject(new BackendError('unavailable', 'down')),
    });
    await expect(down.textModelSharing('use-lite')).rejects.toMatchObject({ kind: 'unavailable' });
  });
});

describe('what a model gives, without calling it', () => {
  it('the backend’s models embed; a provider’s classification endpoint gives labels for its modality', () => {
    const providers = parseModels(
      JSON.stringify({
        vit: {
          provider: 'hf',
          task: 'image-classification',
          modality: 'image',
          endpointUrl: 'https://x.test',
        },
        bge: { provider: 'hf', modality: 'text', dimension: 384, endpointUrl: 'https://y.test' },
      }),
    );
    const withProviders = modelCatalog(providers, backend);
    expect(withProviders.describe('use-lite')).toEqual({ gives: 'embedding' });
    expect(withProviders.describe('vit')).toEqual({
      gives: 'labels',
      modality: 'image',
      task: 'image-classification',
    });
    expect(withProviders.describe('bge')).toMatchObject({ gives: 'embedding', modality: 'text' });
  });
});

describe('the modality a model serves, without the backend', () => {
  it('comes from MODELS, then BACKEND_MODELS, then the input or part whose default model it is', () => {
    const providers = parseModels(
      JSON.stringify({
        bge: { provider: 'hf', modality: 'text', dimension: 384, endpointUrl: 'https://y.test' },
      }),
    );
    const configured = parseBackendModels(JSON.stringify({ triton_clip: { modality: 'image' } }));
    const modalities = createModalities([text, image, video]);
    const known = modelCatalog(providers, backend, { configured, modalities });
    expect(known.modalityOf('bge')).toBe('text');
    expect(known.modalityOf('triton_clip')).toBe('image');
    expect(known.modalityOf('mobilenetv2-int8')).toBe('image');
    expect(known.modalityOf('image-text-use-lite')).toBe('image.text');
    // The video input's default is its frames part's model, which the backend serves as `video.frames`.
    expect(known.modalityOf('video-frames-mobilenetv2-int8')).toBe('video.frames');
    expect(known.modalityOf('some-other-model')).toBeUndefined();
    expect(catalog.modalityOf('mobilenetv2-int8')).toBeUndefined();
  });
});
