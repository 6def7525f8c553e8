/**
 * The real `text-hash-256` model, built by its repository recipe into a temp repository, served by the real
 * process and fed through the text adapter's preprocess: raw UTF-8 and base64 items, padding across a batch.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InferResponse } from '../protocol/types.ts';
import { DEFAULT_RECIPES, ensureDefaultRepository } from '../model-builder/prepare.ts';
import { call, startBackend, type Backend } from '../../test/support/backend/server.ts';

let backend: Backend;
let root: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'modalfuse-text-'));
  await ensureDefaultRepository({
    repository: root,
    recipes: DEFAULT_RECIPES.filter((recipe) => recipe.name === 'text-hash-256'),
  });
  backend = await startBackend({ MODALFUSE_MODEL_REPOSITORY: root, MODALFUSE_EXECUTION_PROVIDER: 'cpu' });
});

afterAll(async () => {
  expect(await backend?.stop()).toBe(0);
  rmSync(root, { recursive: true, force: true });
});

async function embed(items: string[], base64 = false): Promise<number[][]> {
  const reply = await call(backend.url, 'POST', '/v2/models/text-hash-256/infer', {
    inputs: [
      {
        name: 'raw',
        datatype: 'BYTES',
        shape: [items.length],
        ...(base64 ? { parameters: { content_type: 'base64' } } : {}),
        data: base64 ? items.map((item) => Buffer.from(item).toString('base64')) : items,
      },
    ],
    outputs: [{ name: 'embedding' }],
  });
  expect(reply.status).toBe(200);
  const [output] = (reply.body as InferResponse).outputs;
  expect(output?.shape).toEqual([items.length, 256]);
  const data = output?.data as number[];
  return items.map((_, i) => data.slice(i * 256, (i + 1) * 256));
}

const norm = (v: number[]) => Math.sqrt(v.reduce((sum, x) => sum + x * x, 0));

describe('text-hash-256 through the text adapter', () => {
  it('the model is ready with its adapter and dimension', async () => {
    expect(backend.stdout()).toMatch(/^model text-hash-256 version 1 ready \(cpu, adapter text\)$/m);
    // Its recipe's sentence went through the adapter before it was ready; warm-up is not counted as a request.
    expect(backend.stdout()).toMatch(
      /^model text-hash-256 warmed up \(full\) in \d+ ms\nmodel text-hash-256 version/m,
    );
    const metrics = await fetch(`${backend.url}/metrics`).then((response) => response.text());
    expect(metrics).toMatch(/^nv_inference_request_success\{model="text-hash-256",version="1"\} 0$/m);
    expect((await call(backend.url, 'GET', '/v2/models/text-hash-256')).body).toMatchObject({
      inputs: [{ name: 'raw', datatype: 'BYTES', shape: [-1, 1] }],
      parameters: { modality: 'text', adapter: 'text', embedding_dimension: 256, execution_provider: 'cpu' },
    });
  });

  it('embeds texts of different lengths in one batch as it embeds them alone (padding is neutral)', async () => {
    const texts = ['cats', 'a much longer sentence about dogs, cats and the weather in spring'];
    const batch = await embed(texts);
    const alone = [...(await embed(texts.slice(0, 1))), ...(await embed(texts.slice(1)))];
    for (const [i, vector] of batch.entries()) {
      expect(norm(vector)).toBeCloseTo(1, 5);
      const single = alone[i] ?? [];
      expect(Math.max(...vector.map((x, j) => Math.abs(x - (single[j] ?? NaN))))).toBeLessThan(1e-6);
    }
    expect(batch[0]).not.toEqual(batch[1]);
  });

  it('UTF-8 strings and base64 items give the same embedding', async () => {
    expect(await embed(['héllo wörld'], true)).toEqual(await embed(['héllo wörld']));
  });

  it('items the adapter refuses are a 400 with the adapter’s message and code, each named by its index', async () => {
    const reply = await call(backend.url, 'POST', '/v2/models/text-hash-256/infer', {
      inputs: [{ name: 'raw', datatype: 'BYTES', shape: [4], data: ['fine', '', 'also fine', ' \t '] }],
    });
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({
      error: '2 items could not be used: item 1: text is empty; item 3: text is empty',
      code: 'empty',
      items: [
        { index: 1, error: 'text is empty', code: 'empty' },
        { index: 3, error: 'text is empty', code: 'empty' },
      ],
    });
    const one = await call(backend.url, 'POST', '/v2/models/text-hash-256/infer', {
      inputs: [{ name: 'raw', datatype: 'BYTES', shape: [2], data: ['fine', ''] }],
    });
    expect(one.body).toEqual({
      error: 'text is empty',
      code: 'empty',
      items: [{ index: 1, error: 'text is empty', code: 'empty' }],
    });
  });

  it('raw and ONNX inputs cannot be mixed; ONNX inputs alone work', async () => {
    const ids = { name: 'input_ids', datatype: 'INT64', shape: [1, 2], data: [5, 6] };
    const weights = { name: 'token_weights', datatype: 'FP32', shape: [1, 2], data: [1, 1] };
    const mixed = await call(backend.url, 'POST', '/v2/models/text-hash-256/infer', {
      inputs: [{ name: 'raw', datatype: 'BYTES', shape: [1], data: ['x'] }, ids],
    });
    expect(mixed).toMatchObject({ status: 400, body: { error: expect.stringMatching(/^send "raw" alone/) } });
    const direct = await call(backend.url, 'POST', '/v2/models/text-hash-256/infer', {
      inputs: [ids, weights],
    });
    expect(direct.status).toBe(200);
    const unknown = await call(backend.url, 'POST', '/v2/models/text-hash-256/infer', {
      inputs: [{ name: 'text', datatype: 'BYTES', shape: [1], data: ['x'] }],
    });
    expect(unknown.body).toEqual({
      error: 'unknown input "text" (send "raw" as BYTES, or the ONNX inputs input_ids, token_weights)',
    });
  });
});
