/**
 * @module
 * The cascade end to end, through the Worker (workerd) and the real backend: the image of each request is a PNG
 * whose pixel data is corrupt, which only the backend's decoder refuses — so the answer tells whether the image
 * reached the backend. With stop_at 0.5 (a two-label task's top score is never below it) the cascade stops after
 * the text and the image is `cascade-stopped`; with stop_at 1 it goes on and the backend refuses the image.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { corpusFile, dataUrlOf } from '../support/media-corpus.ts';
import { dataUrl, postJson } from './helpers.ts';

const fixtures = inject('fixtures').filter((item) => item.variant < 2);
const taskId = `cascade-${crypto.randomUUID().slice(0, 8)}`;
const corruptPng = dataUrlOf(corpusFile('image/png-corrupt-idat.png'));

beforeAll(async () => {
  const created = await postJson('/v1/tasks', {
    id: taskId,
    labels: ['red', 'blue'],
    modalities: { audio: false, html: false },
    fusion: { cascade: { order: ['text', 'image'], stop_at: 0.5 } },
  });
  expect(created.status).toBe(201);
  const examples = fixtures.map((item) => ({
    label: item.label,
    inputs: { text: item.text, image: dataUrl(item.imageType, item.image) },
  }));
  expect((await postJson(`/v1/tasks/${taskId}/examples`, { examples })).status).toBe(200);
});

interface Answer {
  label: string;
  modalities: Record<string, unknown>;
  missing: { modality: string; reason: string; code?: string }[];
}

async function classify(text: string, fusion?: object): Promise<Answer> {
  const body = { task: taskId, inputs: { text, image: corruptPng }, ...(fusion ? { fusion } : {}) };
  const response = await postJson('/v1/classify', body);
  expect(response.status).toBe(200);
  return (await response.json()) as Answer;
}

describe('a cascade end to end', () => {
  it("stops after the text with the task's cascade: the image never reaches the backend", async () => {
    const answer = await classify('a bright red fire engine, cascade run');
    expect(Object.keys(answer.modalities)).toEqual(['text']);
    expect(answer.missing).toEqual([
      expect.objectContaining({ modality: 'image', reason: 'cascade-stopped' }),
    ]);
  });

  it('goes on to the image when the threshold is not reached, and the backend refuses it', async () => {
    const answer = await classify('a deep blue ocean, cascade run', {
      cascade: { order: ['text', 'image'], stop_at: 1 },
    });
    expect(Object.keys(answer.modalities)).toEqual(['text']);
    expect(answer.missing).toEqual([
      expect.objectContaining({
        modality: 'image',
        reason: 'invalid-input',
        code: 'input-rejected-by-model',
      }),
    ]);
  });
});
