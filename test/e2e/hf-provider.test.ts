/**
 * @module
 * A model served through `@huggingface/inference` (`MODELS` names it with provider `hf`) against a local server
 * speaking the TEI / HF Inference API: embeddings are the server's vectors, the model is listed beside the
 * backend's, the provider's refusals and outages map to 4xx and 503, and a task whose text model is the provider's
 * still classifies from text when the backend is down, reporting the image as missing.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, inject, it } from 'vitest';
import type { Bindings } from '../../src/env.ts';
import { dataUrl, defined, expectOpenAIError, expectProblem, fetchWorker } from './helpers.ts';

const teiUrl = inject('teiUrl');
const fixtures = inject('fixtures');
const models = JSON.stringify({
  'tei-mini': { provider: 'hf', endpointUrl: teiUrl, modality: 'text', dimension: 8 },
});
const provider: Partial<Bindings> = { MODELS: models, HF_TOKEN: 'tei-test-token' };

function send(path: string, body: unknown, overrides: Partial<Bindings> = {}): Promise<Response> {
  const init =
    body === undefined
      ? {}
      : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  const request = new Request(`http://edge.test${path}`, init);
  return fetchWorker(request, { ...env, ...provider, ...overrides });
}

/** What the TEI server itself answers, asked directly. */
async function truth(inputs: string[]): Promise<number[][]> {
  const response = await fetch(teiUrl, {
    method: 'POST',
    headers: { authorization: 'Bearer tei-test-token', 'content-type': 'application/json' },
    body: JSON.stringify({ inputs }),
  });
  return (await response.json()) as number[][];
}

describe('the Hugging Face provider', () => {
  it('embeds through the endpoint and lists the model beside the backend’s', async () => {
    const inputs = [`hello ${crypto.randomUUID()}`, 'the provider answers'];
    const response = await send('/v1/embeddings', { model: 'tei-mini', input: inputs });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: { embedding: number[] }[] };
    const expected = await truth(inputs);
    body.data.forEach((item, i) =>
      item.embedding.forEach((value, j) => expect(value).toBeCloseTo(expected[i]?.[j] ?? NaN, 6)),
    );
    const listed = (await (await send('/v1/models', undefined)).json()) as {
      data: { id: string; backend: string }[];
    };
    expect(listed.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'tei-mini', backend: 'hf-endpoint' }),
        expect.objectContaining({ id: 'text-hash-256' }),
      ]),
    );
  });

  it('answers 422 for an input the endpoint refuses, and 503 when it refuses our token', async () => {
    const long = await send('/v1/embeddings', { model: 'tei-mini', input: 'x'.repeat(300) });
    expect((await expectOpenAIError(long, 422)).code).toBe('input-rejected-by-model');
    const denied = await send('/v1/embeddings', { model: 'tei-mini', input: 'x' }, { HF_TOKEN: 'wrong' });
    expect((await expectOpenAIError(denied, 503)).code).toBe('backend-unavailable');
  });

  it('answers 500 for a malformed MODELS without echoing it', async () => {
    const response = await send('/v1/models', undefined, { MODELS: '{"m": {"provider": "nope"}}' });
    expect((await expectProblem(response, 500)).code).toBe('models-misconfigured');
  });

  it('classifies from the provider’s text when the backend is down, reporting the image missing', async () => {
    const task = `hf-${crypto.randomUUID().slice(0, 8)}`;
    const created = await send('/v1/tasks', {
      id: task,
      labels: ['red', 'blue'],
      modalities: { text: { model: 'tei-mini' }, image: {} },
    });
    expect(created.status).toBe(201);
    const examples = fixtures.slice(0, 6).map((item) => ({
      label: item.label,
      inputs: { text: item.text, image: dataUrl(item.imageType, item.image) },
    }));
    expect((await send(`/v1/tasks/${task}/examples`, { examples })).status).toBe(200);

    const item = defined(fixtures[6], 'a held-out item');
    const inputs = { text: item.text, image: dataUrl(item.imageType, `${item.image.slice(0, -8)}AAAAAAA=`) };
    const response = await send('/v1/classify', { task, inputs }, { BACKEND_URL: 'http://127.0.0.1:9' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      missing: { modality: string; reason: string }[];
      modalities: object;
    };
    expect(Object.keys(body.modalities)).toEqual(['text']);
    expect(body.missing).toEqual(
      expect.arrayContaining([expect.objectContaining({ modality: 'image', reason: 'backend-unavailable' })]),
    );
  });
});
