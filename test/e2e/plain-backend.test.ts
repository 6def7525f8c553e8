/**
 * @module
 * The edge pointed at a plain KServe v2 / Triton server: our backend started with
 * `MODALFUSE_METADATA_PARAMETERS=off` answers model metadata without ModalFuse's `parameters`, as Triton does.
 * Without `BACKEND_MODELS` the edge can use none of its models (none has a modality); with it, modality,
 * embedding space, dimension and batch size come from the edge's configuration, and the vectors are those the
 * same models give through the backend with its parameters on.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { Bindings } from '../../src/env.ts';
import { dataUrl, expectOpenAIError, expectProblem, fetchWorker } from './helpers.ts';

const controlUrl = inject('backendControlUrl');
const token = inject('backendToken');
const fixtures = inject('fixtures');

const configured = {
  'text-hash-256': { modality: 'text', embedding_space: 'text-hash-256', dimension: 256, max_batch_size: 8 },
  'use-lite': { modality: 'text', embedding_space: 'use-lite' },
  'mobilenetv2-int8': { modality: 'image' },
};

let plainUrl = '';

beforeAll(async () => {
  const body = JSON.stringify({ env: { MODALFUSE_METADATA_PARAMETERS: 'off' } });
  const started = await fetch(`${controlUrl}/backends`, { method: 'POST', body });
  plainUrl = ((await started.json()) as { url: string }).url;
});

function send(path: string, body: unknown, overrides: Partial<Bindings>): Promise<Response> {
  const init =
    body === undefined
      ? {}
      : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  return fetchWorker(new Request(`http://edge.test${path}`, init), { ...env, ...overrides });
}

const plain = (models?: unknown): Partial<Bindings> => ({
  BACKEND_URL: plainUrl,
  EMBEDDING_CACHE_TTL_SECONDS: '0',
  ...(models === undefined ? {} : { BACKEND_MODELS: JSON.stringify(models) }),
});

/** The plain backend's successful text-hash-256 infer calls, from its `/metrics`. */
async function inferCalls(): Promise<number> {
  const text = await (await fetch(`${plainUrl}/metrics`)).text();
  const line = text
    .split('\n')
    .find((entry) => entry.startsWith('nv_inference_request_success{model="text-hash-256"'));
  return Number(line?.split(' ').pop() ?? Number.NaN);
}

async function vectorsOf(input: string[], overrides: Partial<Bindings>): Promise<number[][]> {
  const response = await send('/v1/embeddings', { model: 'text-hash-256', input }, overrides);
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: { embedding: number[] }[] }).data.map((item) => item.embedding);
}

describe('a backend whose metadata lacks ModalFuse’s parameters', () => {
  it('answers metadata as a plain Triton does', async () => {
    const headers = { authorization: `Bearer ${token}` };
    const metadata = (await (await fetch(`${plainUrl}/v2/models/use-lite`, { headers })).json()) as object;
    expect(metadata).toMatchObject({ name: 'use-lite', platform: 'onnxruntime_onnx' });
    expect(metadata).not.toHaveProperty('parameters');
  });

  it('is of no use to an edge told nothing of its models', async () => {
    const listed = (await (await send('/v1/models', undefined, plain())).json()) as { data: unknown[] };
    expect(listed.data).toEqual([]);
    const refused = await send('/v1/embeddings', { model: 'use-lite', input: 'x' }, plain());
    expect((await expectOpenAIError(refused, 404)).code).toBe('unknown-model');
  });

  it('lists the models BACKEND_MODELS describes, with modality, space and dimension', async () => {
    const response = await send('/v1/models', undefined, plain(configured));
    const { data } = (await response.json()) as { data: Record<string, unknown>[] };
    const byId = new Map(data.map((model) => [model.id, model]));
    expect([...byId.keys()].sort()).toEqual(['mobilenetv2-int8', 'text-hash-256', 'use-lite']);
    expect(byId.get('text-hash-256')).toMatchObject({ modality: 'text', dimension: 256 });
    expect(byId.get('use-lite')).toMatchObject({
      modality: 'text',
      dimension: 512,
      embedding_space: 'use-lite',
    });
    expect(byId.get('mobilenetv2-int8')).toMatchObject({ modality: 'image', dimension: 1280 });
    expect(byId.get('use-lite')).toMatchObject({ default: true, created: 0, backend: 'unknown' });
  });

  it('embeds through it what the backend with its parameters embeds, in calls of max_batch_size', async () => {
    const input = Array.from({ length: 20 }, (_, i) => `plain server sentence ${i}`);
    const ours = await vectorsOf(input, { EMBEDDING_CACHE_TTL_SECONDS: '0' });
    const before = await inferCalls();
    const theirs = await vectorsOf(input, plain(configured));
    expect((await inferCalls()) - before).toBe(3); // 8 + 8 + 4
    expect(theirs).toHaveLength(20);
    theirs.forEach((vector, i) =>
      vector.forEach((value, j) => expect(value).toBeCloseTo(ours[i]?.[j] ?? 0, 6)),
    );
    const item = fixtures[0];
    const image = item && { model: 'mobilenetv2-int8', input: dataUrl(item.imageType, item.image) };
    const embedded = await send('/v1/embeddings', image, plain(configured));
    expect(embedded.status).toBe(200);
  });

  it('answers 500, telling the operator, when BACKEND_MODELS is malformed', async () => {
    for (const models of ['not json', '{"m": {"dimension": 3}}', '{"m": {"modality": "text", "typo": 1}}']) {
      const response = await send('/v1/models', undefined, { ...plain(), BACKEND_MODELS: models });
      expect((await expectProblem(response, 500)).code).toBe('backend-models-misconfigured');
    }
  });
});
