/**
 * @module
 * `text-hash-256`: a hashed n-gram bag encoder built by the project, since no pretrained text encoder can be
 * downloaded here. The text adapter hashes tokens and n-grams into ids 1..hash_buckets-1 with weights; the graph
 * sums the weighted rows of a fixed random table and L2-normalises. Random projections keep cosine similarity
 * meaningful for texts sharing n-grams. Row 0 is padding and all zeros, so padding never moves the embedding.
 */
import { buildModel, node, tensor, valueInfo } from '../onnx/build.ts';
import { modelConfig, modalityParameters, RAW_INPUT } from '../model-repository/modality-model.ts';
import type { ModelRecipe } from './recipe.ts';
import { rawWarmup } from '../model-repository/warmup-samples.ts';

export const TEXT_MODEL = {
  name: 'text-hash-256',
  hashBuckets: 32768,
  dimension: 256,
  maxTokens: 512,
  maxBatchSize: 32,
  seed: 0x6d66_7478,
} as const;

/** mulberry32: a tiny seeded PRNG giving uniform numbers in [0, 1); the same seed gives the same table anywhere. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Rows of N(0, 1/dimension) values by Box–Muller, with row 0 left at zero for padding. */
export function hashTable(rows: number, dimension: number, seed: number): Float32Array {
  const random = mulberry32(seed);
  const table = new Float32Array(rows * dimension);
  const scale = 1 / Math.sqrt(dimension);
  for (let i = dimension; i < table.length; i += 2) {
    const radius = Math.sqrt(-2 * Math.log(1 - random()));
    const angle = 2 * Math.PI * random();
    table[i] = radius * Math.cos(angle) * scale;
    if (i + 1 < table.length) table[i + 1] = radius * Math.sin(angle) * scale;
  }
  return table;
}

/** The graph: Gather rows → × weights → sum over tokens → divide by max(‖·‖₂, ε) (all-zero input gives zeros). */
export function buildTextModel(hashBuckets: number = TEXT_MODEL.hashBuckets): Uint8Array {
  const { dimension, seed } = TEXT_MODEL;
  return buildModel({
    name: TEXT_MODEL.name,
    inputs: [valueInfo('input_ids', 'int64', ['N', 'L']), valueInfo('token_weights', 'float32', ['N', 'L'])],
    outputs: [valueInfo('embedding', 'float32', ['N', dimension])],
    initializers: [
      tensor('table', hashTable(hashBuckets, dimension, seed), [hashBuckets, dimension]),
      tensor('last_axis', new BigInt64Array([-1n]), [1]),
      tensor('token_axis', new BigInt64Array([1n]), [1]),
      tensor('epsilon', new Float32Array([1e-12]), []),
    ],
    nodes: [
      node('Gather', ['table', 'input_ids'], ['rows'], { axis: 0 }),
      node('Unsqueeze', ['token_weights', 'last_axis'], ['weights']),
      node('Mul', ['rows', 'weights'], ['weighted']),
      node('ReduceSum', ['weighted', 'token_axis'], ['summed'], { keepdims: 0 }),
      node('ReduceL2', ['summed'], ['norm'], { axes: [1], keepdims: 1 }),
      node('Max', ['norm', 'epsilon'], ['denominator']),
      node('Div', ['summed', 'denominator'], ['embedding']),
    ],
  });
}

/**
 * A recipe serving the hashed n-gram graph under `name` for the adapter `modality` (text, or text-like plugins).
 * Every model of this graph declares the embedding space `text-hash-256`: same table, same seed, same vectors.
 */
export function hashedTextRecipe(name: string, modality: string): ModelRecipe {
  return {
    name,
    version: 3,
    sources: [],
    settings: TEXT_MODEL,
    async build() {
      const warm = await rawWarmup(modality === 'html' ? 'html' : 'text');
      return {
        onnx: buildTextModel(),
        files: warm.files,
        config: modelConfig({
          name,
          maxBatchSize: TEXT_MODEL.maxBatchSize,
          input: [RAW_INPUT],
          output: [{ name: 'embedding', data_type: 'TYPE_FP32', dims: [TEXT_MODEL.dimension] }],
          parameters: modalityParameters(modality, {
            hash_buckets: String(TEXT_MODEL.hashBuckets),
            max_tokens: String(TEXT_MODEL.maxTokens),
            embedding_space: TEXT_MODEL.name,
          }),
          warmup: warm.warmup,
        }),
      };
    },
  };
}

export const textRecipe = hashedTextRecipe(TEXT_MODEL.name, 'text');
