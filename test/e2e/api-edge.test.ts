/**
 * @module
 * Edge behaviour that needs the real backend: readiness, the model list, OpenAI's base64 encoding and
 * `dimensions`, the backend's refusals mapped to 4xx, multipart examples, batch classification in order, and the
 * stage timings of a full classify.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { bytesOf, call, dataUrl, expectOpenAIError, expectProblem, postJson, toBase64 } from './helpers.ts';

const fixtures = inject('fixtures');
const examples = fixtures.filter((item) => item.variant < 3);
const heldOut = fixtures.filter((item) => item.variant === 3);
const png = fixtures.filter((item) => item.imageType === 'image/png');
const taskId = `edge-${crypto.randomUUID().slice(0, 8)}`;

interface EmbeddingList {
  data: { index: number; embedding: number[] | string }[];
  usage: { prompt_tokens: number; total_tokens: number };
}

function float32(base64: string): number[] {
  const bytes = bytesOf(base64);
  const view = new DataView(bytes.buffer);
  return Array.from({ length: bytes.length / 4 }, (_, i) => view.getFloat32(i * 4, true));
}

/** A PNG whose chunks are intact but whose compressed pixels are garbage: only a decoder notices. */
function corruptPixels(base64: string): string {
  const bytes = bytesOf(base64);
  const view = new DataView(bytes.buffer);
  for (let offset = 8; offset < bytes.length;) {
    const length = view.getUint32(offset);
    if (String.fromCharCode(...bytes.subarray(offset + 4, offset + 8)) === 'IDAT') {
      bytes.fill(0x55, offset + 8, offset + 8 + length);
    }
    offset += 12 + length;
  }
  return toBase64(bytes);
}

function teachByForm(item: (typeof fixtures)[number]): Promise<Response> {
  const form = new FormData();
  form.set('label', item.label);
  form.set('text', item.text);
  form.set('image', new File([bytesOf(item.image)], 'picture', { type: item.imageType }));
  return call(`/v1/tasks/${taskId}/examples`, { method: 'POST', body: form });
}

beforeAll(async () => {
  const body = { id: taskId, labels: ['red', 'blue'], modalities: { audio: false } };
  expect((await postJson('/v1/tasks', body)).status).toBe(201);
});

describe('probes and models', () => {
  it('/readyz answers 200 once the backend is ready', async () => {
    const response = await call('/readyz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready' });
  });

  it('lists modality models only, in OpenAI’s list shape, with the execution provider', async () => {
    const body = (await (await call('/v1/models')).json()) as {
      object: string;
      data: Record<string, unknown>[];
    };
    expect(body.object).toBe('list');
    expect(body.data.map((model) => model.id)).not.toContain('silero-vad');
    for (const model of body.data)
      expect(model).toMatchObject({ object: 'model', backend: expect.any(String) });
  });
});

describe('POST /v1/embeddings', () => {
  it('encodes base64 as little-endian float32, the same numbers as floats', async () => {
    const input = ['a red apple', 'deep blue ocean water'];
    const floats = (await (
      await postJson('/v1/embeddings', { model: 'text-hash-256', input })
    ).json()) as EmbeddingList;
    const encoded = (await (
      await postJson('/v1/embeddings', { model: 'text-hash-256', input, encoding_format: 'base64' })
    ).json()) as EmbeddingList;
    expect(encoded.data.map((d) => float32(d.embedding as string))).toEqual(
      floats.data.map((d) => d.embedding),
    );
    expect(floats.usage).toEqual({ prompt_tokens: 7, total_tokens: 7 });
  });

  it('truncates to `dimensions` and renormalises; refuses more than the model has', async () => {
    const response = await postJson('/v1/embeddings', {
      model: 'text-hash-256',
      input: 'red',
      dimensions: 64,
    });
    const [first] = ((await response.json()) as EmbeddingList).data;
    expect(first?.embedding).toHaveLength(64);
    expect(Math.hypot(...(first?.embedding as number[]))).toBeCloseTo(1, 5);
    const tooMany = await postJson('/v1/embeddings', {
      model: 'text-hash-256',
      input: 'red',
      dimensions: 257,
    });
    expect((await expectOpenAIError(tooMany, 400)).code).toBe('invalid-dimensions');
  });

  it('refuses a modality that is not the model’s, and text given to an image model', async () => {
    const mismatch = await postJson('/v1/embeddings', {
      model: 'text-hash-256',
      input: 'red',
      modality: 'image',
    });
    expect((await expectOpenAIError(mismatch, 400)).code).toBe('modality-mismatch');
    const text = await postJson('/v1/embeddings', { model: 'mobilenetv2-int8', input: 'a red apple' });
    await expectOpenAIError(text, 400);
  });

  it('maps pixels only the backend can see are broken to 422', async () => {
    const input = png.map((item) => dataUrl('image/png', corruptPixels(item.image)));
    const problem = await expectOpenAIError(
      await postJson('/v1/embeddings', { model: 'mobilenetv2-int8', input }),
      422,
    );
    expect(problem).toMatchObject({
      code: 'input-rejected-by-model',
      model: 'mobilenetv2-int8',
      adapterCode: 'malformed',
    });
  });
});

describe('teaching and classifying', () => {
  it('teaches one example per multipart request', async () => {
    for (const item of examples) {
      const response = await teachByForm(item);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ added: 1 });
    }
    const task = (await (await call(`/v1/tasks/${taskId}`)).json()) as {
      version: number;
      modalities: Record<string, { examples: number; prototype: { counts: Record<string, number> } }>;
    };
    expect(task.version).toBe(7);
    expect(task.modalities.text?.prototype.counts).toEqual({ red: 3, blue: 3 });
    expect(task.modalities.image?.examples).toBe(6);
  });

  it('classifies a batch in order, with every stage timed', async () => {
    const items = heldOut.map((item) => ({
      inputs: { text: item.text, image: dataUrl(item.imageType, item.image) },
    }));
    const response = await postJson('/v1/classify', { task: taskId, items, fusion: { strategy: 'product' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('server-timing')).toMatch(/normalize;.*backend;.*heads;.*fusion;/);
    const results = (await response.json()) as { label: string; fusion: { strategy: string } }[];
    expect(results.map((r) => r.label)).toEqual(heldOut.map((item) => item.label));
    expect(results.every((r) => r.fusion.strategy === 'product')).toBe(true);
  });

  it('answers 422 when a task names a model the backend does not serve', async () => {
    const id = `${taskId}-ghost`;
    const body = {
      id,
      labels: ['red', 'blue'],
      modalities: { text: { model: 'no-such-model' }, image: false, audio: false },
    };
    expect((await postJson('/v1/tasks', body)).status).toBe(201);
    const response = await postJson(`/v1/tasks/${id}/examples`, {
      examples: examples.map((item) => ({ label: item.label, inputs: { text: item.text } })),
    });
    expect((await expectProblem(response, 422)).code).toBe('model-not-served');
  });
});
