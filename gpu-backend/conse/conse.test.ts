/**
 * ConSE on MobileNetV2 with USE-lite class-name embeddings: the graph computes Norouzi et al.'s convex combination
 * exactly (checked against the formula evaluated here from the same logits), and real photographs from npm
 * packages (`test/support/photos.ts`) land nearest, or next nearest, to the text embedding of their own label among
 * eight (`photoRanks`).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import imagePreprocessor from '../../adapters/image/preprocess.ts';
import { readModel } from '../onnx/model.ts';
import { addEmbeddingOutput, IMAGE_MODEL, IMAGENET_NORMALISATION } from '../model-builder/image-model.ts';
import { modelsDir } from '../../test/support/backend/model-files.ts';
import { photoCandidates as candidates, photoRanks } from '../../test/support/fixture-types.ts';
import { photos } from '../../test/support/photos.ts';
import { USE_LITE } from '../use-lite/convert.ts';
import { UseLiteEncoder } from '../use-lite/encoder.ts';
import { addConse, type ConseSpec } from './conse.ts';

const D = USE_LITE.dimension;
const C = IMAGE_MODEL.classes;
let encoder: UseLiteEncoder;
let classEmbeddings: Float32Array;
let base: Uint8Array;

beforeAll(async () => {
  encoder = await UseLiteEncoder.create();
  const labels = JSON.parse(
    await readFile(join(modelsDir, 'imagenet-simple-labels.json'), 'utf8'),
  ) as string[];
  classEmbeddings = await encoder.embed(labels, 64);
  base = await readFile(join(modelsDir, 'mobilenetv2-12-int8.onnx'));
});

afterAll(() => encoder.release());

function spec(overrides: Partial<ConseSpec> = {}): ConseSpec {
  return {
    logits: 'logits',
    classEmbeddings,
    classes: C,
    dimension: D,
    topK: 10,
    temperature: 2,
    ...overrides,
  };
}

const imageContext = {
  model: IMAGE_MODEL.name,
  parameters: {
    image_size: '224',
    resize_shorter: '256',
    mean: IMAGENET_NORMALISATION.mean.join(','),
    std: IMAGENET_NORMALISATION.std.join(','),
    layout: 'NCHW',
  },
  run: () => Promise.reject(new Error('not used')),
};

async function runPhotos(
  session: ort.InferenceSession,
): Promise<{ embedding: Float32Array; logits: Float32Array }[]> {
  const results = [];
  for (const { path } of photos) {
    const { input } = await imagePreprocessor.preprocess(await readFile(path), imageContext);
    if (!input) throw new Error('the image preprocessor gave no input');
    const out = await session.run({
      input: new ort.Tensor('float32', input.data as Float32Array, input.dims),
    });
    results.push({
      embedding: out.embedding?.data as Float32Array,
      logits: out.logits?.data as Float32Array,
    });
  }
  return results;
}

/** Norouzi et al.'s f(x) = Σ_top-T p(y|x) s(y) / Σ_top-T p(y|x), L2-normalised, evaluated in plain JS. */
function conseByHand(logits: Float32Array, topK: number, temperature: number): Float64Array {
  const scaled = Array.from(logits, (l) => l / temperature);
  const top = Math.max(...scaled);
  const exp = scaled.map((s) => Math.exp(s - top));
  const total = exp.reduce((a, b) => a + b, 0);
  const ranked = exp
    .map((e, c) => [e / total, c] as const)
    .sort((a, b) => b[0] - a[0])
    .slice(0, topK);
  const mass = ranked.reduce((sum, [p]) => sum + p, 0);
  const mean = new Float64Array(D);
  for (const [p, c] of ranked) {
    for (let k = 0; k < D; k++) mean[k] = (mean[k] ?? 0) + (p / mass) * (classEmbeddings[c * D + k] ?? 0);
  }
  const norm = Math.hypot(...mean);
  return mean.map((v) => v / norm);
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>, offset = 0): number {
  let sum = 0;
  for (let k = 0; k < D; k++) sum += (a[k] ?? 0) * (b[offset + k] ?? 0);
  return sum;
}

describe('ConSE on MobileNetV2 with USE-lite class names', () => {
  it('gives the convex combination of the top-T class embeddings, for several T and temperatures', async () => {
    for (const [topK, temperature] of [
      [10, 2],
      [1, 1],
      [50, 0.5],
    ] as const) {
      const session = await ort.InferenceSession.create(
        addConse(readModel(addEmbeddingOutput(readModel(base))), spec({ topK, temperature })),
      );
      const [first] = await runPhotos(session);
      await session.release();
      const want = conseByHand(first?.logits ?? new Float32Array(), topK, temperature);
      const got = first?.embedding ?? new Float32Array();
      expect(got).toHaveLength(D);
      got.forEach((v, k) => expect(v).toBeCloseTo(want[k] ?? NaN, 5));
    }
  });

  it('puts most photos nearest to their own label among eight ("a photo of a …")', async () => {
    const session = await ort.InferenceSession.create(
      addConse(readModel(addEmbeddingOutput(readModel(base))), spec()),
    );
    const results = await runPhotos(session);
    await session.release();
    const labelEmbeddings = await encoder.embed(candidates.map((label) => `a photo of a ${label}`));
    const ranked = results.map(({ embedding }) => {
      const scores = candidates.map((_, c) => dot(embedding, labelEmbeddings, c * D));
      return candidates
        .map((label, c) => ({ label, score: scores[c] ?? 0 }))
        .sort((a, b) => b.score - a.score);
    });
    // The airplane seen from above is taken for a boat everywhere; `photoRanks` says why two counts.
    const ranks = photoRanks(
      ranked.map((order) => order.map(({ label }) => label)),
      photos.map((photo) => photo.label),
    );
    expect(ranks.first).toBeGreaterThanOrEqual(3);
    expect(ranks.withinTwo).toBeGreaterThanOrEqual(5);
  });

  it('replaces the 1280-d image embedding and keeps the logits output, batched alike', () => {
    const model = readModel(addConse(readModel(addEmbeddingOutput(readModel(base))), spec()));
    const outputs = (model.graph?.output ?? []).map((o) => [
      o.name,
      (o.type?.tensorType?.shape?.dim ?? []).map((d) => d.dimParam || Number(d.dimValue)),
    ]);
    const batch = model.graph?.input?.[0]?.type?.tensorType?.shape?.dim?.[0]?.dimParam;
    expect(outputs).toEqual([
      ['embedding', [batch, D]],
      ['logits', [batch, C]],
    ]);
  });

  it('refuses a bad T, temperature, matrix or logits name', () => {
    const model = () => readModel(addEmbeddingOutput(readModel(base)));
    expect(() => addConse(model(), spec({ topK: 0 }))).toThrow('top T');
    expect(() => addConse(model(), spec({ topK: C + 1 }))).toThrow('top T');
    expect(() => addConse(model(), spec({ temperature: 0 }))).toThrow('temperature');
    expect(() => addConse(model(), spec({ classEmbeddings: new Float32Array(10) }))).toThrow(
      'class embeddings',
    );
    expect(() => addConse(model(), spec({ logits: 'nope' }))).toThrow('no tensor "nope"');
  });
});
