/**
 * @module
 * The whole path: a task is taught with labelled text + image + audio examples and then classifies held-out
 * items through the Worker (in workerd) and the real backend (onnxruntime on the default models) — also with broken
 * files of the media corpus in place of a picture or a recording: the edge refuses one kind, only the backend's
 * decoder the other, and either way the item is answered from the rest (unless strict), each batch item alone,
 * while teaching refuses the examples, naming every broken input.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { corpusFile, dataUrlOf } from '../support/media-corpus.ts';
import { bytesOf, call, dataUrl, defined, expectProblem, postJson } from './helpers.ts';

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
  missing: { modality: string; reason: string; status?: number; code?: string; detail?: string }[];
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

describe('broken files, end to end', () => {
  const cutWav = corpusFile('audio/wav-cut-in-fmt.wav'); // the edge refuses it
  const corruptPng = corpusFile('image/png-corrupt-idat.png'); // only the backend's decoder does
  const bmp = corpusFile('image/bmp-imagemagick.bmp');
  const inputsOf = (item: typeof heldOutRed) => ({
    text: item.text,
    image: dataUrl(item.imageType, item.image),
    audio: dataUrl('audio/wav', item.audio),
  });

  async function answered(response: Response): Promise<Classification> {
    expect(response.status, await response.clone().text()).toBe(200);
    return (await response.json()) as Classification;
  }

  it('answers a text + image + broken-audio item from the text and image, the audio reported', async () => {
    const inputs = { ...inputsOf(heldOutRed), audio: dataUrlOf(cutWav) };
    const result = await answered(await postJson('/v1/classify', { task: taskId, inputs }));
    expect(result.label).toBe('red');
    expect(Object.keys(result.modalities).sort()).toEqual(['image', 'text']);
    expect(result.missing).toEqual([
      {
        modality: 'audio',
        reason: 'invalid-input',
        type: '/problems/malformed',
        title: 'Unprocessable Content',
        status: 422,
        code: 'malformed',
        detail: expect.stringMatching(/^inputs\.audio: WAV could not be read/) as string,
      },
    ]);
  });

  it("answers a text + audio + broken-image item when only the backend's decoder can tell", async () => {
    const inputs = { ...inputsOf(heldOutBlue), image: dataUrlOf(corruptPng) };
    const result = await answered(await postJson('/v1/classify', { task: taskId, inputs }));
    expect(result.label).toBe('blue');
    expect(Object.keys(result.modalities).sort()).toEqual(['audio', 'text']);
    expect(result.missing).toEqual([
      expect.objectContaining({
        modality: 'image',
        reason: 'invalid-input',
        status: 422,
        code: 'input-rejected-by-model',
      }),
    ]);
    expect(result.missing[0]?.detail).toMatch(/^inputs\.image: .*could not be decoded/);
  });

  it('refuses either item when strict, with the problem of its broken input', async () => {
    const audio = {
      task: taskId,
      inputs: { ...inputsOf(heldOutRed), audio: dataUrlOf(cutWav) },
      strict: true,
    };
    expect(await expectProblem(await postJson('/v1/classify', audio), 422)).toMatchObject({
      code: 'malformed',
      input: 'inputs.audio',
    });
    const image = {
      task: taskId,
      inputs: { ...inputsOf(heldOutRed), image: dataUrlOf(corruptPng) },
      strict: true,
    };
    expect(await expectProblem(await postJson('/v1/classify', image), 422)).toMatchObject({
      code: 'input-rejected-by-model',
      adapterCode: 'malformed',
      input: 'inputs.image',
    });
  });

  it('judges every batch item alone: broken pictures cost only their own items', async () => {
    const response = await postJson('/v1/classify', {
      task: taskId,
      items: [
        { inputs: { ...inputsOf(heldOutRed), image: dataUrlOf(corruptPng) } },
        { inputs: inputsOf(heldOutBlue) },
        { inputs: { image: dataUrlOf(corruptPng) } },
        { inputs: { image: dataUrlOf(bmp), audio: dataUrlOf(cutWav) } },
      ],
    });
    expect(response.status).toBe(200);
    const [partial, whole, refused, bothBroken] = (await response.json()) as (Classification & {
      error: Record<string, unknown>;
    })[];
    expect(partial).toMatchObject({
      label: 'red',
      missing: [{ modality: 'image', reason: 'invalid-input' }],
    });
    expect(whole).toMatchObject({ label: 'blue', missing: [] });
    expect(refused?.error).toMatchObject({
      status: 422,
      code: 'input-rejected-by-model',
      input: 'items[2].inputs.image',
    });
    expect(bothBroken?.error).toMatchObject({
      status: 415,
      code: 'unsupported-type',
      invalid: [
        { input: 'items[3].inputs.image', status: 415 },
        { input: 'items[3].inputs.audio', status: 422 },
      ],
    });
  });

  it('answers multipart with a broken recording from the other parts', async () => {
    const form = new FormData();
    form.set('task', taskId);
    form.set('text', heldOutRed.text);
    form.set('image', new File([bytesOf(heldOutRed.image)], 'picture', { type: heldOutRed.imageType }));
    form.set('audio', new File([cutWav.bytes], 'cut.wav', { type: cutWav.type }));
    const result = await answered(await call('/v1/classify', { method: 'POST', body: form }));
    expect(result).toMatchObject({ label: 'red', missing: [{ modality: 'audio', reason: 'invalid-input' }] });
  });

  it('refuses examples with broken files, naming each by example and modality, and keeps none', async () => {
    const before = (await (await call(`/v1/tasks/${taskId}`)).json()) as {
      modalities: Record<string, { examples: number }>;
    };
    const response = await postJson(`/v1/tasks/${taskId}/examples`, {
      examples: [
        { label: 'red', inputs: inputsOf(heldOutRed) },
        { label: 'red', inputs: { ...inputsOf(heldOutRed), audio: dataUrlOf(cutWav) } },
        { label: 'blue', inputs: { text: heldOutBlue.text, image: dataUrlOf(corruptPng) } },
      ],
    });
    const problem = await expectProblem(response, 422);
    expect(problem.invalid).toEqual([
      expect.objectContaining({ input: 'examples[1].inputs.audio', status: 422, code: 'malformed' }),
      expect.objectContaining({
        input: 'examples[2].inputs.image',
        status: 422,
        code: 'input-rejected-by-model',
      }),
    ]);
    expect(problem.detail).toMatch(
      /^2 inputs could not be used: examples\[1\]\.inputs\.audio: .*; examples\[2\]\.inputs\.image: /,
    );
    const after = (await (await call(`/v1/tasks/${taskId}`)).json()) as typeof before;
    expect(after.modalities).toEqual(before.modalities);
  });
});
