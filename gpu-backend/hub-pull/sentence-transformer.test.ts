/**
 * Text encoders end to end: a project-built BERT (random weights, real WordPiece tokenizer.json) written as a
 * sentence-transformers folder, imported into a temp repository (mean + normalise, and CLS), served by a real
 * backend process through the text adapter, and compared with @huggingface/transformers feature-extraction loaded
 * offline from the same folder: cosine ≥ 0.9999 on every sentence, in one padded batch.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { env, pipeline } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackend, type BackendProcess } from '../../scripts/lib/backend-process.ts';
import type { InferResponse } from '../protocol/types.ts';
import { writeBertFolder } from '../../test/support/backend/bert-folder.ts';
import { bertShape } from '../../test/support/backend/bert-model.ts';
import { installModel } from '../model-repository/install.ts';
import { paritySentences } from '../../test/support/backend/parity-sentences.ts';
import { buildSentenceTransformer } from './sentence-transformer.ts';

const MAX_TOKENS = 24;
let root: string;
let backend: BackendProcess;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'modalfuse-st-'));
  const repository = join(root, 'repository');
  for (const pooling of ['mean', 'cls'] as const) {
    const folder = join(root, 'hub', `bert-${pooling}`);
    await writeBertFolder(folder, {
      shape: bertShape.tiny,
      maxTokens: MAX_TOKENS,
      pooling,
      normalize: pooling === 'mean',
    });
    await installModel(
      repository,
      `bert-${pooling}`,
      await buildSentenceTransformer(folder, { name: `bert-${pooling}` }),
      'test',
    );
  }
  backend = await startBackend({
    env: { MODALFUSE_MODEL_REPOSITORY: repository, MODALFUSE_EXECUTION_PROVIDER: 'cpu' },
  });
});

afterAll(async () => {
  await backend?.stop();
  rmSync(root, { recursive: true, force: true });
});

async function served(model: string, sentences: readonly string[]): Promise<number[][]> {
  const response = await fetch(`${backend.url}/v2/models/${model}/infer`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      inputs: [{ name: 'raw', datatype: 'BYTES', shape: [sentences.length], data: sentences }],
      outputs: [{ name: 'embedding' }],
    }),
  });
  expect(response.status).toBe(200);
  const [output] = ((await response.json()) as InferResponse).outputs;
  const [rows = 0, width = 0] = output?.shape ?? [];
  expect(rows).toBe(sentences.length);
  const data = output?.data as number[];
  return sentences.map((_, i) => data.slice(i * width, (i + 1) * width));
}

async function reference(
  model: string,
  sentences: readonly string[],
  pooling: 'mean' | 'cls',
  normalize: boolean,
) {
  env.allowRemoteModels = false;
  env.localModelPath = join(root, 'hub');
  const extract = await pipeline('feature-extraction', model, { dtype: 'fp32' });
  try {
    return (await extract([...sentences], { pooling, normalize })).tolist() as number[][];
  } finally {
    await extract.dispose();
  }
}

function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let aa = 0;
  let bb = 0;
  a.forEach((x, i) => {
    const y = b[i] ?? 0;
    dot += x * y;
    aa += x * x;
    bb += y * y;
  });
  return dot / Math.sqrt(aa * bb);
}

describe('sentence-transformers export served by the text adapter', () => {
  it('has enough varied sentences, some truncated', () => {
    expect(paritySentences.length).toBeGreaterThanOrEqual(50);
    expect(paritySentences.filter((s) => s.split(/\s+/).length > MAX_TOKENS).length).toBeGreaterThanOrEqual(
      4,
    );
  });

  it.each([
    ['bert-mean', 'mean', true],
    ['bert-cls', 'cls', false],
  ] as const)(
    '%s equals transformers.js feature-extraction (cosine ≥ 0.9999)',
    async (model, pooling, normalize) => {
      const ours = await served(model, paritySentences);
      const theirs = await reference(model, paritySentences, pooling, normalize);
      const worst = Math.min(...ours.map((vector, i) => cosine(vector, theirs[i] ?? [])));
      expect(worst).toBeGreaterThanOrEqual(0.9999);
      if (normalize) for (const vector of ours) expect(Math.hypot(...vector)).toBeCloseTo(1, 4);
    },
  );

  it('embeds a sentence the same alone as in a padded batch', async () => {
    const [alone] = await served('bert-mean', [paritySentences[0] ?? '']);
    const [batched] = await served('bert-mean', [paritySentences[0] ?? '', paritySentences.at(-1) ?? '']);
    expect(cosine(alone ?? [], batched ?? [])).toBeGreaterThanOrEqual(0.99999);
  });

  it('answers empty text with a 400 naming the problem', async () => {
    const response = await fetch(`${backend.url}/v2/models/bert-mean/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: [{ name: 'raw', datatype: 'BYTES', shape: [1], data: ['  '] }] }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: expect.stringMatching(/empty/) });
  });
});

describe('importing a sentence-transformers folder', () => {
  it('refuses pooling modes it cannot add, naming the supported ones', async () => {
    const folder = join(root, 'hub', 'bert-max');
    await writeBertFolder(folder, { shape: bertShape.tiny, maxTokens: 8, pooling: 'mean', normalize: false });
    await writeFile(join(folder, '1_Pooling/config.json'), JSON.stringify({ pooling_mode_max_tokens: true }));
    await expect(buildSentenceTransformer(folder, { name: 'x' })).rejects.toThrow(
      /max_tokens; supported: cls_token, mean_tokens/,
    );
  });

  it('refuses a folder without a tokenizer or a model', async () => {
    const folder = join(root, 'hub', 'bert-broken');
    await writeBertFolder(folder, { shape: bertShape.tiny, maxTokens: 8, pooling: 'mean', normalize: false });
    rmSync(join(folder, 'onnx'), { recursive: true });
    await expect(buildSentenceTransformer(folder, { name: 'x' })).rejects.toThrow(
      /neither onnx\/model.onnx nor model.onnx/,
    );
    rmSync(join(folder, 'tokenizer.json'));
    await expect(buildSentenceTransformer(folder, { name: 'x' })).rejects.toThrow(/no tokenizer.json/);
  });

  it('writes the parameters the text adapter reads', async () => {
    const built = await buildSentenceTransformer(join(root, 'hub', 'bert-mean'), { name: 'bert-mean' });
    expect(built.config.parameters).toMatchObject({
      modality: { string_value: 'text' },
      adapter: { string_value: 'text' },
      tokenizer: { string_value: 'tokenizer.json' },
      text_inputs: { string_value: 'input_ids,attention_mask,token_type_ids' },
      max_tokens: { string_value: String(MAX_TOKENS) },
      pooling: { string_value: 'mean' },
      normalize: { string_value: 'true' },
    });
    expect(built.config.output).toEqual([
      { name: 'embedding', data_type: 'TYPE_FP32', dims: [bertShape.tiny.hidden] },
    ]);
    expect(Object.keys(built.files ?? {}).sort()).toEqual([
      'tokenizer.json',
      'tokenizer_config.json',
      'warmup/sentence.txt',
    ]);
    expect(built.config.model_warmup).toEqual([
      {
        name: 'text_request',
        batch_size: 1,
        inputs: { raw: { data_type: 'TYPE_STRING', dims: [1], input_data_file: 'sentence.txt' } },
      },
    ]);
  });
});
