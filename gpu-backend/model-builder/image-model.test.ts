/**
 * @module
 * The MobileNetV2 edit: `logits` equal the original model's `output` exactly, and the new `embedding` output is
 * a finite, non-trivial [N,1280] feature that tells inputs apart. Also the edit's errors on unexpected graphs.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildModel, node, valueInfo } from '../onnx/build.ts';
import { readModel } from '../onnx/model.ts';
import { addEmbeddingOutput, imageRecipe } from './image-model.ts';
import { mulberry32 } from './text-model.ts';
import { f32, floats, modelsDir, runOnce, withTempDir } from '../../test/support/backend/model-files.ts';

const original = join(modelsDir, 'mobilenetv2-12-int8.onnx');
const labels = join(modelsDir, 'imagenet-simple-labels.json');

/** Normalised-pixel-like noise, different per seed. */
function randomImages(count: number, seed: number): Float32Array {
  const random = mulberry32(seed);
  return Float32Array.from({ length: count * 3 * 224 * 224 }, () => (random() - 0.45) * 4.4);
}

describe('mobilenetv2-int8', () => {
  it('keeps the logits exactly and adds a [N,1280] embedding', async () => {
    const built = await imageRecipe.build({
      'mobilenetv2-12-int8.onnx': original,
      'imagenet-simple-labels.json': labels,
    });
    const input = f32(randomImages(2, 1), [2, 3, 224, 224]);
    const before = await runOnce(original, { input });
    const after = await runOnce(built.onnx, { input });
    expect(Object.keys(after)).toEqual(['embedding', 'logits']);
    expect(after.logits?.dims).toEqual([2, 1000]);
    expect(Array.from(floats(after, 'logits'))).toEqual(Array.from(floats(before, 'output')));

    const embedding = floats(after, 'embedding');
    expect(after.embedding?.dims).toEqual([2, 1280]);
    expect(embedding.every(Number.isFinite)).toBe(true);
    const [first, second] = [embedding.subarray(0, 1280), embedding.subarray(1280)];
    expect(first.some((v) => v !== 0)).toBe(true);
    expect(second.some((v) => v !== 0)).toBe(true);
    expect(first.some((v, i) => v !== second[i])).toBe(true);
    expect(built.files?.['labels.json']).toEqual(await readFile(labels));
  });

  it('declares the embedding first and labels on the logits', async () => {
    const built = await imageRecipe.build({
      'mobilenetv2-12-int8.onnx': original,
      'imagenet-simple-labels.json': labels,
    });
    const outputs = readModel(built.onnx).graph?.output?.map((o) => o.name);
    expect(outputs).toEqual(['embedding', 'logits']);
    expect(built.config.output.map((o) => [o.name, o.dims, o.label_filename])).toEqual([
      ['embedding', [1280], undefined],
      ['logits', [1000], 'labels.json'],
    ]);
  });

  it('refuses a labels file that is not one name per class', async () => {
    await withTempDir(async (dir) => {
      const short = join(dir, 'labels.json');
      await writeFile(short, JSON.stringify(['tench', 'goldfish']));
      await expect(
        imageRecipe.build({ 'mobilenetv2-12-int8.onnx': original, 'imagenet-simple-labels.json': short }),
      ).rejects.toThrow('imagenet-simple-labels.json must be an array of 1000 strings');
    });
  });

  it('refuses a graph without an `output` or without a quantized global pool', () => {
    const graph = (outputName: string) =>
      readModel(
        buildModel({
          name: 'tiny',
          inputs: [valueInfo('input', 'float32', ['N', 4])],
          outputs: [valueInfo(outputName, 'float32', ['N', 4])],
          nodes: [node('Identity', ['input'], [outputName])],
        }),
      );
    expect(() => addEmbeddingOutput(graph('scores'))).toThrow(/expected a graph output "output".*scores/);
    expect(() => addEmbeddingOutput(graph('output'))).toThrow(
      /exactly one QLinearGlobalAveragePool.*found 0/,
    );
  });
});
