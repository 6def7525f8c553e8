/**
 * @module
 * `/v1/embeddings` and `/v1/models` against the real backend: OpenAI's response shape, real vectors.
 */
import { describe, expect, inject, it } from 'vitest';
import { call, dataUrl, defined, expectOpenAIError, postJson } from './helpers.ts';

const fixtures = inject('fixtures');

interface EmbeddingList {
  object: 'list';
  model: string;
  data: { object: 'embedding'; index: number; embedding: number[] }[];
  usage: { prompt_tokens: number; total_tokens: number };
}

const norm = (vector: number[]) => Math.hypot(...vector);
const cosine = (a: number[], b: number[]) =>
  a.reduce((sum, x, i) => sum + x * (b[i] ?? 0), 0) / (norm(a) * norm(b));

describe('POST /v1/embeddings, end to end', () => {
  it('embeds texts in order with OpenAI’s shape', async () => {
    const input = ['a red apple', 'a red apple!', 'deep blue ocean water'];
    const response = await postJson('/v1/embeddings', { model: 'text-hash-256', input });
    expect(response.status).toBe(200);
    const body = (await response.json()) as EmbeddingList;
    expect(body).toMatchObject({ object: 'list', model: 'text-hash-256' });
    expect(body.data.map((d) => d.index)).toEqual([0, 1, 2]);
    const [a, b, c] = body.data.map((d) => d.embedding);
    if (!a || !b || !c) throw new Error('three embeddings expected');
    expect(a).toHaveLength(256);
    expect(norm(a)).toBeCloseTo(1, 4);
    expect(cosine(a, b)).toBeGreaterThan(cosine(a, c));
    expect(body.usage.total_tokens).toBeGreaterThan(0);
  });

  it('embeds an image given as a data URL', async () => {
    const item = defined(fixtures[0], 'an image fixture');
    const response = await postJson('/v1/embeddings', {
      model: 'mobilenetv2-int8',
      input: [dataUrl(item.imageType, item.image)],
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as EmbeddingList;
    expect(body.data[0]?.embedding).toHaveLength(1280);
  });

  it('answers an OpenAI 404 error for an unknown model, listing the known ones', async () => {
    const response = await postJson('/v1/embeddings', { model: 'no-such-model', input: 'x' });
    const error = await expectOpenAIError(response, 404);
    expect(error.message).toMatch(/text-hash-256/);
    expect(error.known).toEqual(expect.arrayContaining(['text-hash-256']));
  });
});

describe('GET /v1/models', () => {
  it('lists the default models with modality and dimension', async () => {
    const response = await call('/v1/models');
    expect(response.status).toBe(200);
    const { data } = (await response.json()) as {
      data: { id: string; modality: string; dimension: number; default: boolean; embedding_space?: string }[];
    };
    expect(data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'text-hash-256', modality: 'text', dimension: 256 }),
        expect.objectContaining({
          id: 'use-lite',
          modality: 'text',
          dimension: 512,
          embedding_space: 'use-lite',
        }),
        expect.objectContaining({
          id: 'mobilenetv2-conse',
          modality: 'image',
          dimension: 512,
          embedding_space: 'use-lite',
        }),
        expect.objectContaining({ id: 'mobilenetv2-int8', modality: 'image', dimension: 1280 }),
        expect.objectContaining({ id: 'speech-embedding', modality: 'audio', dimension: 96 }),
      ]),
    );
    // One default per modality: the model a task or the CLI uses when it names none.
    const defaults = data.filter((model) => model.default).map((model) => [model.modality, model.id]);
    expect(Object.fromEntries(defaults)).toEqual({
      text: 'use-lite',
      image: 'mobilenetv2-int8',
      audio: 'speech-embedding',
      html: 'html-use-lite',
      'image.text': 'image-text-use-lite',
      'video.frames': 'video-frames-mobilenetv2-int8',
      'video.audio': 'video-audio-speech-embedding',
      'video.text': 'video-text-use-lite',
    });
  });
});
