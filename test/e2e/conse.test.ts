/**
 * @module
 * Images in USE-lite's text space, end to end (Worker in workerd, real backend serving `mobilenetv2-conse`), on
 * real photographs from npm packages (`test/support/photos.ts`): a zero-shot image task names them by label names
 * alone, with no example; their vectors from `/v1/embeddings` are nearest (or next nearest) their own label's text
 * vector from `use-lite` (`photoRanks`); and `/v1/embeddings/fused` averages a text and an image in that one space.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { photoCandidates, photoRanks } from '../support/fixture-types.ts';
import { dataUrl, postJson } from './helpers.ts';

const photos = inject('photos');
const taskId = `photos-${crypto.randomUUID().slice(0, 8)}`;

interface EmbeddingList {
  readonly data: { embedding: number[] }[];
  readonly model: string;
}

const jpeg = (photo: (typeof photos)[number]) => dataUrl('image/jpeg', photo.jpeg);

const dot = (a: readonly number[], b: readonly number[]) => a.reduce((sum, x, i) => sum + x * (b[i] ?? 0), 0);

async function embed(model: string, input: string[]): Promise<number[][]> {
  const response = await postJson('/v1/embeddings', { model, input });
  expect(response.status).toBe(200);
  return ((await response.json()) as EmbeddingList).data.map((entry) => entry.embedding);
}

/** The candidate whose vector is nearest (unit vectors: the largest dot product). */
function nearest(vector: readonly number[], candidates: readonly number[][]): string | undefined {
  const scores = candidates.map((candidate) => dot(vector, candidate));
  return photoCandidates[scores.indexOf(Math.max(...scores))];
}

beforeAll(async () => {
  expect(photos.length).toBe(6);
  const created = await postJson('/v1/tasks', {
    id: taskId,
    labels: photoCandidates,
    modalities: {
      image: { model: 'mobilenetv2-conse', head: 'zero-shot' },
      text: false,
      audio: false,
      html: false,
    },
  });
  expect(created.status).toBe(201);
});

describe('ConSE: photographs in the text space', () => {
  it('a zero-shot task names most photos from the label names alone', async () => {
    const answers = await Promise.all(
      photos.map(async (photo) => {
        const response = await postJson('/v1/classify', { task: taskId, inputs: { image: jpeg(photo) } });
        expect(response.status).toBe(200);
        const { label, scores } = (await response.json()) as { label: string; scores: { label: string }[] };
        expect(scores[0]?.label).toBe(label);
        return scores.map((score) => score.label);
      }),
    );
    // The airplane seen from above is taken for a boat; `photoRanks` says why two counts.
    const ranks = photoRanks(
      answers,
      photos.map((photo) => photo.label),
    );
    expect(ranks.first, JSON.stringify(answers)).toBeGreaterThanOrEqual(3);
    expect(ranks.withinTwo, JSON.stringify(answers)).toBeGreaterThanOrEqual(5);
  });

  it('keeps the prompts it embedded: images get "a photo of a {label}"', async () => {
    const response = await postJson('/v1/tasks', {
      id: `${taskId}-view`,
      labels: ['cat', 'dog'],
      modalities: {
        image: { model: 'mobilenetv2-conse', head: 'zero-shot' },
        text: false,
        audio: false,
        html: false,
      },
    });
    const view = (await response.json()) as { modalities: { image: { zeroShot: object } } };
    expect(view.modalities.image.zeroShot).toMatchObject({
      textModel: 'use-lite',
      texts: { cat: ['a photo of a cat'], dog: ['a photo of a dog'] },
    });
  });

  it('gives image vectors from /v1/embeddings nearest their own label’s text vector', async () => {
    const images = await embed('mobilenetv2-conse', photos.map(jpeg));
    const texts = await embed(
      'use-lite',
      photoCandidates.map((label) => `a photo of a ${label}`),
    );
    expect(images[0]).toHaveLength(512);
    const ranked = images.map((vector) =>
      photoCandidates
        .map((label, c) => ({ label, score: dot(vector, texts[c] ?? []) }))
        .sort((a, b) => b.score - a.score)
        .map(({ label }) => label),
    );
    const ranks = photoRanks(
      ranked,
      photos.map((photo) => photo.label),
    );
    expect(ranks.first).toBeGreaterThanOrEqual(3);
    expect(ranks.withinTwo).toBeGreaterThanOrEqual(5);
  });

  it('averages a text and an image in the one space they share', async () => {
    const cat = photos.find((photo) => photo.label === 'cat');
    if (!cat) throw new Error('a cat photo');
    const response = await postJson('/v1/embeddings/fused', {
      inputs: { text: 'a sleeping kitten', image: jpeg(cat) },
      models: { image: 'mobilenetv2-conse' },
      weights: { text: 1, image: 3 },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as EmbeddingList;
    expect(body.model).toBe('fused-mean:use-lite+mobilenetv2-conse');
    const fused = body.data[0]?.embedding ?? [];
    const [text = [], image = []] = [
      ...(await embed('use-lite', ['a sleeping kitten'])),
      ...(await embed('mobilenetv2-conse', [jpeg(cat)])),
    ];
    const mean = text.map((x, i) => x + 3 * (image[i] ?? 0));
    expect(fused).toHaveLength(512);
    expect(dot(fused, mean) / Math.sqrt(dot(mean, mean))).toBeCloseTo(1, 5);
    const texts = await embed(
      'use-lite',
      photoCandidates.map((label) => `a photo of a ${label}`),
    );
    expect(nearest(fused, texts)).toBe('cat');
  });
});
