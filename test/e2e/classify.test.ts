/**
 * @module
 * The whole path: a task is taught with labelled text + image + audio examples and then classifies held-out
 * items through the Worker (in workerd) and the real backend (onnxruntime on the default models).
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { bytesOf, call, dataUrl, defined, postJson } from './helpers.ts';

const fixtures = inject('fixtures');
const examples = fixtures.filter((item) => item.variant < 3);
const heldOut = fixtures.filter((item) => item.variant === 3);
const heldOutRed = defined(
  heldOut.find((item) => item.label === 'red'),
  'held-out red item',
);
const heldOutBlue = defined(
  heldOut.find((item) => item.label === 'blue'),
  'held-out blue item',
);
const taskId = `colours-${crypto.randomUUID().slice(0, 8)}`;

type Scores = { label: string; score: number }[];
interface Classification {
  task: string;
  label: string;
  scores: Scores;
  modalities: Record<string, { label: string; scores: Scores; weight: number }>;
  missing: { modality: string; reason: string }[];
  fusion: { strategy: string; weights: Record<string, number> };
}

function expectDistribution(scores: Scores): void {
  expect(scores.map((s) => s.label).sort()).toEqual(['blue', 'red']);
  expect(scores.reduce((sum, s) => sum + s.score, 0)).toBeCloseTo(1, 5);
}

beforeAll(async () => {
  // The task uses the three media modalities; the html example plugin is left out.
  const created = await postJson('/v1/tasks', {
    id: taskId,
    labels: ['red', 'blue'],
    modalities: { html: false },
  });
  expect(created.status).toBe(201);
  const added = await postJson(`/v1/tasks/${taskId}/examples`, {
    examples: examples.map((item) => ({
      label: item.label,
      inputs: {
        text: item.text,
        image: dataUrl(item.imageType, item.image),
        audio: dataUrl('audio/wav', item.audio),
      },
    })),
  });
  expect(added.status).toBe(200);
  expect(await added.json()).toMatchObject({ added: examples.length });
});

describe('POST /v1/classify, end to end', () => {
  it.each(heldOut.map((item) => [item.label, item] as const))(
    'classifies a held-out %s item from text + image + audio (JSON)',
    async (label, item) => {
      const response = await postJson('/v1/classify', {
        task: taskId,
        inputs: { text: item.text, image: dataUrl(item.imageType, item.image), audio: item.audio },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('server-timing')).toMatch(/normalize.*backend.*fusion|backend/);
      const result = (await response.json()) as Classification;
      expect(result).toMatchObject({ task: taskId, label, missing: [] });
      expectDistribution(result.scores);
      expect(Object.keys(result.modalities).sort()).toEqual(['audio', 'image', 'text']);
      for (const [modality, decision] of Object.entries(result.modalities)) {
        expectDistribution(decision.scores);
        expect(decision.weight, modality).toBeGreaterThan(0);
        expect(decision.label, `${modality} alone`).toBe(label);
      }
    },
  );

  it('accepts multipart with a part per modality and fuses with the product strategy', async () => {
    const item = heldOutRed;
    const form = new FormData();
    form.set('task', taskId);
    form.set('fusion', JSON.stringify({ strategy: 'product' }));
    form.set('text', item.text);
    form.set('image', new File([bytesOf(item.image)], 'picture', { type: item.imageType }));
    form.set('audio', new File([bytesOf(item.audio)], 'speech.wav', { type: 'audio/wav' }));
    const response = await call('/v1/classify', { method: 'POST', body: form });
    expect(response.status).toBe(200);
    const result = (await response.json()) as Classification;
    expect(result.label).toBe(item.label);
    expect(result.fusion.strategy).toBe('product');
    expect(Object.keys(result.modalities).sort()).toEqual(['audio', 'image', 'text']);
  });

  it('reports an absent modality in missing and fuses the rest', async () => {
    const item = heldOutBlue;
    const response = await postJson('/v1/classify', { task: taskId, inputs: { text: item.text } });
    expect(response.status).toBe(200);
    const result = (await response.json()) as Classification;
    expect(result.label).toBe(item.label);
    expect(Object.keys(result.modalities)).toEqual(['text']);
    expect(result.missing.map((m) => m.modality).sort()).toEqual(['audio', 'image']);
    expect(result.scores).toEqual(result.modalities.text?.scores);
  });

  it('lets weights decide between modalities that disagree', async () => {
    const [red, blue] = [heldOutRed, heldOutBlue];
    const inputs = { text: red.text, image: dataUrl(blue.imageType, blue.image) };
    const classify = (weights: Record<string, number>) =>
      postJson('/v1/classify', { task: taskId, inputs, fusion: { strategy: 'weighted', weights } }).then(
        (response) => response.json() as Promise<Classification>,
      );
    const [textWins, imageWins] = await Promise.all([
      classify({ text: 1, image: 0 }),
      classify({ text: 0, image: 1 }),
    ]);
    expect(textWins.label).toBe('red');
    expect(imageWins.label).toBe('blue');
  });
});
