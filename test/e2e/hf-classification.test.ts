/**
 * @module
 * Image and audio models served by `@huggingface/inference`'s `imageClassification` / `audioClassification`
 * against a local server speaking the HF Inference API (`test/support/hf-classifier.ts`): tasks get the
 * provider-label head for them, refuse heads and examples that do not fit, map the provider's labels through
 * `label_map` and by name, and fuse them with the backend's text decision; an endpoint that is down or answers
 * nonsense puts its modality in `missing` while the others are fused.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, inject, it } from 'vitest';
import type { Bindings } from '../../src/env.ts';
import { dataUrl, defined, expectOpenAIError, expectProblem, fetchWorker } from './helpers.ts';

const teiUrl = inject('teiUrl');
const fixtures = inject('fixtures');

function modelsAt(image: string, audio: string): string {
  return JSON.stringify({
    'hf-vit': { provider: 'hf', task: 'image-classification', modality: 'image', endpointUrl: image },
    'hf-ast': { provider: 'hf', task: 'audio-classification', modality: 'audio', endpointUrl: audio },
  });
}

const working = modelsAt(`${teiUrl}/image-classification`, `${teiUrl}/audio-classification`);

function send(path: string, body: unknown, overrides: Partial<Bindings> = {}): Promise<Response> {
  const init =
    body === undefined
      ? {}
      : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  const bindings = { ...env, MODELS: working, HF_TOKEN: 'tei-test-token', ...overrides };
  return fetchWorker(new Request(`http://edge.test${path}`, init), bindings);
}

const labelMap = { Crimson: 'red', 'fire engine': 'red', sky: 'blue', jeans: 'blue' };

/** A red/blue task: text on the backend (taught), image and audio through the provider's labels. */
async function createTask(): Promise<string> {
  const id = `hfc-${crypto.randomUUID().slice(0, 8)}`;
  const modalities = {
    text: {},
    image: { model: 'hf-vit', label_map: labelMap },
    audio: { model: 'hf-ast' },
    html: false,
  };
  const created = await send('/v1/tasks', { id, labels: ['red', 'blue'], modalities });
  expect(created.status).toBe(201);
  const task = (await created.json()) as { modalities: Record<string, { head: string }> };
  expect(task.modalities.image?.head).toBe('provider-label');
  expect(task.modalities.audio?.head).toBe('provider-label');
  const examples = fixtures
    .filter((item) => item.variant < 3)
    .map((item) => ({ label: item.label, inputs: { text: item.text } }));
  expect((await send(`/v1/tasks/${id}/examples`, { examples })).status).toBe(200);
  return id;
}

interface Answer {
  label: string;
  modalities: Record<string, { scores: { label: string; score: number }[] }>;
  missing: { modality: string; reason: string; detail?: string }[];
}

function scoreOf(answer: Answer, modality: string, label: string): number {
  return answer.modalities[modality]?.scores.find((s) => s.label === label)?.score ?? NaN;
}

function heldOut(label: 'red' | 'blue') {
  const item = defined(
    fixtures.find((candidate) => candidate.label === label && candidate.variant === 3),
    `a held-out ${label} item`,
  );
  return {
    text: item.text,
    image: dataUrl(item.imageType, item.image),
    audio: dataUrl('audio/wav', item.audio),
  };
}

describe('image and audio classification through the Hugging Face provider', () => {
  it('maps the provider’s labels onto the task’s and fuses them with the text decision', async () => {
    const task = await createTask();
    for (const label of ['red', 'blue'] as const) {
      const response = await send('/v1/classify', { task, inputs: heldOut(label) });
      expect(response.status).toBe(200);
      const answer = (await response.json()) as Answer;
      expect(answer.label).toBe(label);
      expect(answer.missing).toEqual([]);
      // Red picture: Crimson .55 + RED .2 + fire engine .1 → red .85, sky .05 → blue, the other .10 spread.
      // Blue picture: sky .6 + Blue .2 + jeans .1 → blue .9, Crimson .05 → red, the other .05 spread.
      const expected = label === 'red' ? { red: 0.9, blue: 0.1 } : { red: 0.075, blue: 0.925 };
      expect(scoreOf(answer, 'image', 'red')).toBeCloseTo(expected.red, 5);
      expect(scoreOf(answer, 'image', 'blue')).toBeCloseTo(expected.blue, 5);
      // Speech and Music map to nothing: all of audio's mass is spread, so it says nothing either way.
      expect(scoreOf(answer, 'audio', 'red')).toBeCloseTo(0.5, 9);
    }
  });

  it('evaluates the provider-label modalities through their endpoints beside the embedded one', async () => {
    const task = await createTask();
    const examples = (['red', 'blue'] as const).map((label) => ({ label, inputs: heldOut(label) }));
    const imageOnly = { label: 'blue', inputs: { image: heldOut('blue').image } };
    const response = await send(`/v1/tasks/${task}/evaluate`, { examples: [...examples, imageOnly] });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { modalities: { name: string; n: number; accuracy: number }[] };
    expect(body.modalities.map((row) => row.name)).toEqual(['audio', 'image', 'text']);
    expect(body.modalities.find((row) => row.name === 'image')).toMatchObject({ n: 3, accuracy: 1 });
    expect(body.modalities.find((row) => row.name === 'text')).toMatchObject({ n: 2 });
  });

  it('reports a modality whose endpoint is down or answers nonsense as missing and fuses the rest', async () => {
    const task = await createTask();
    const broken = [
      modelsAt(`${teiUrl}/down/image-classification`, `${teiUrl}/malformed/audio-classification`),
      modelsAt('http://127.0.0.1:9/image-classification', `${teiUrl}/down/audio-classification`),
    ];
    for (const MODELS of broken) {
      const response = await send('/v1/classify', { task, inputs: heldOut('blue') }, { MODELS });
      expect(response.status).toBe(200);
      const answer = (await response.json()) as Answer;
      expect(Object.keys(answer.modalities)).toEqual(['text']);
      expect(answer.label).toBe('blue');
      expect(answer.missing.map((m) => [m.modality, m.reason])).toEqual([
        ['image', 'backend-unavailable'],
        ['audio', 'backend-unavailable'],
      ]);
    }
  });

  it('classifies from the provider alone when the backend is down', async () => {
    const task = await createTask();
    const response = await send(
      '/v1/classify',
      { task, inputs: heldOut('red') },
      // No cache: the text's embedding from the first test would answer for the backend.
      { BACKEND_URL: 'http://127.0.0.1:9', EMBEDDING_CACHE_TTL_SECONDS: '0' },
    );
    expect(response.status).toBe(200);
    const answer = (await response.json()) as Answer;
    expect(answer.label).toBe('red');
    expect(answer.missing).toEqual([
      expect.objectContaining({ modality: 'text', reason: 'backend-unavailable' }),
    ]);
  });

  it('refuses heads, options and models that do not fit, saying why', async () => {
    const refused = [
      [{ image: { model: 'hf-vit', head: 'prototype' } }, 'head-does-not-fit-model', /provider-label/],
      [{ image: { model: 'hf-vit', head: 'linear' } }, 'head-does-not-fit-model', /not embeddings/],
      [{ text: { head: 'provider-label' } }, 'head-does-not-fit-model', /classification endpoint/],
      [{ audio: { model: 'hf-vit' } }, 'model-modality-mismatch', /serves the image modality, not audio/],
      [{ image: { label_map: { sky: 'blue' } } }, 'head-does-not-fit-model', /label_map/],
      [{ image: { model: 'hf-vit', label_map: { sky: 'green' } } }, 'unknown-label', /green/],
    ] as const;
    for (const [modalities, code, detail] of refused) {
      const response = await send('/v1/tasks', { id: 'misfit', labels: ['red', 'blue'], modalities });
      const problem = await expectProblem(response, 400);
      expect(problem.code).toBe(code);
      expect(problem.detail).toMatch(detail);
    }
  });

  it('refuses examples for a provider-label modality, and embeddings from a classification model', async () => {
    const task = await createTask();
    const item = heldOut('red');
    const examples = [{ label: 'red', inputs: { text: item.text, image: item.image } }];
    const refused = await expectProblem(await send(`/v1/tasks/${task}/examples`, { examples }), 400);
    expect(refused.code).toBe('provider-label-takes-no-examples');
    expect(refused.detail).toMatch(/examples\[0\]\.inputs\.image/);
    const embedded = await send('/v1/embeddings', { model: 'hf-vit', input: item.image });
    expect((await expectOpenAIError(embedded, 400)).code).toBe('not-an-embedding-model');
    const listed = (await (await send('/v1/models', undefined)).json()) as {
      data: { id: string; kind: string; modality: string }[];
    };
    expect(listed.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'hf-vit', kind: 'classification', modality: 'image' }),
        expect.objectContaining({ id: 'text-hash-256', kind: 'embedding' }),
      ]),
    );
  });

  it('answers 500 (without echoing it) for a classification model given the wrong modality in MODELS', async () => {
    const MODELS = JSON.stringify({
      bad: { provider: 'hf', task: 'audio-classification', modality: 'image', endpointUrl: teiUrl },
    });
    const response = await send('/v1/models', undefined, { MODELS });
    expect((await expectProblem(response, 500)).code).toBe('models-misconfigured');
  });
});
