/**
 * @module
 * The hashed n-gram text encoder: unit-norm rows, padding has no effect, all-zero weights give zeros (not NaN),
 * out-of-range ids are rejected, and the build is deterministic.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildTextModel, hashTable, mulberry32, TEXT_MODEL, textRecipe } from './text-model.ts';
import { f32, floats, i64, runOnce } from '../../test/support/backend/model-files.ts';

const model = buildTextModel();
/** One recipe build shared by the tests that need it (each build takes about half a second). */
const built = textRecipe.build({});
const { dimension } = TEXT_MODEL;

function rowNorms(data: Float32Array): number[] {
  return Array.from({ length: data.length / dimension }, (_, r) =>
    Math.hypot(...data.subarray(r * dimension, (r + 1) * dimension)),
  );
}

describe('text-hash-256', () => {
  it('gives unit-norm embeddings [N,256]', async () => {
    const out = await runOnce(model, {
      input_ids: i64([5, 17, 99, 32767, 1, 2, 3, 4], [2, 4]),
      token_weights: f32([1, 0.5, 0.25, 2, 1, 1, 1, 1], [2, 4]),
    });
    expect(out.embedding?.dims).toEqual([2, dimension]);
    for (const norm of rowNorms(floats(out, 'embedding'))) expect(norm).toBeCloseTo(1, 5);
  });

  it('ignores padding (id 0), whatever its weight', async () => {
    const plain = await runOnce(model, {
      input_ids: i64([7, 8, 9], [1, 3]),
      token_weights: f32([1, 2, 1], [1, 3]),
    });
    const padded = await runOnce(model, {
      input_ids: i64([7, 8, 9, 0, 0, 7, 8, 9, 0, 0], [2, 5]),
      token_weights: f32([1, 2, 1, 0, 0, 1, 2, 1, 3, 3], [2, 5]),
    });
    const expected = floats(plain, 'embedding');
    const rows = floats(padded, 'embedding');
    for (const row of [rows.subarray(0, dimension), rows.subarray(dimension)]) {
      row.forEach((value, i) => expect(value).toBeCloseTo(expected[i] ?? NaN, 6));
    }
  });

  it('gives zeros, not NaN, for an all-padding or zero-length input', async () => {
    const zero = await runOnce(model, { input_ids: i64([0, 0], [1, 2]), token_weights: f32([0, 0], [1, 2]) });
    expect(Array.from(floats(zero, 'embedding')).every((v) => v === 0)).toBe(true);
    const empty = await runOnce(model, { input_ids: i64([], [2, 0]), token_weights: f32([], [2, 0]) });
    expect(empty.embedding?.dims).toEqual([2, dimension]);
    expect(Array.from(floats(empty, 'embedding')).every((v) => v === 0)).toBe(true);
  });

  it('makes texts sharing n-grams closer than unrelated ones', async () => {
    const out = await runOnce(model, {
      input_ids: i64([10, 11, 12, 13, 10, 11, 12, 14, 20, 21, 22, 23], [3, 4]),
      token_weights: f32(Array(12).fill(1), [3, 4]),
    });
    const e = floats(out, 'embedding');
    const dot = (a: number, b: number) =>
      e
        .subarray(a * dimension, (a + 1) * dimension)
        .reduce((s, v, i) => s + v * (e[b * dimension + i] ?? 0), 0);
    expect(dot(0, 1)).toBeGreaterThan(0.6);
    expect(Math.abs(dot(0, 2))).toBeLessThan(0.3);
  });

  it('rejects ids outside the table', async () => {
    const feeds = { input_ids: i64([TEXT_MODEL.hashBuckets], [1, 1]), token_weights: f32([1], [1, 1]) };
    await expect(runOnce(model, feeds)).rejects.toThrow(/indices|out of bounds|range/i);
  });

  it('builds identical bytes every time', async () => {
    const again = (await built).onnx;
    const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
    expect(sha(again)).toBe(sha(model));
  });

  it('fills the table with N(0, 1/256) values and a zero padding row', () => {
    const table = hashTable(1024, dimension, TEXT_MODEL.seed);
    expect(table.subarray(0, dimension).every((v) => v === 0)).toBe(true);
    const values = table.subarray(dimension);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
    expect(Math.abs(mean)).toBeLessThan(1e-3);
    expect(variance * dimension).toBeCloseTo(1, 1);
    expect(mulberry32(1)()).toBe(mulberry32(1)());
    expect(mulberry32(1)()).not.toBe(mulberry32(2)());
  });

  it('declares the table size and token limit for the adapter', async () => {
    const { config } = await built;
    expect(config.parameters.hash_buckets?.string_value).toBe('32768');
    expect(config.parameters.max_tokens?.string_value).toBe('512');
    expect(config.output).toEqual([{ name: 'embedding', data_type: 'TYPE_FP32', dims: [256] }]);
  });
});
