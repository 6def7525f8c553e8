/**
 * @module
 * `addPixelInput`: uint8 pixels through the added nodes give exactly the float input the model expected (on a
 * pass-through model), MobileNetV2 fed pixels answers what it answers for the same image normalised in
 * JavaScript, and inputs that are not float [N,3,H,W] are refused with what was found.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { buildModel, node, valueInfo } from '../onnx/build.ts';
import { readModel } from '../onnx/model.ts';
import { IMAGENET_NORMALISATION } from './image-model.ts';
import { addPixelInput } from './pixel-input.ts';
import { mulberry32 } from './text-model.ts';
import { f32, floats, modelsDir, runOnce } from '../../test/support/backend/model-files.ts';

const imagenet = { input: 'input', pixels: 'pixels', ...IMAGENET_NORMALISATION } as const;

function passThrough(elemType: 'float32' | 'int64' = 'float32', dims: (number | string)[] = ['N', 3, 2, 2]) {
  return buildModel({
    name: 'pass-through',
    inputs: [valueInfo('input', elemType, dims)],
    outputs: [valueInfo('output', elemType, dims)],
    nodes: [node('Identity', ['input'], ['output'])],
  });
}

function randomPixels(count: number, seed: number): Uint8Array {
  const random = mulberry32(seed);
  return Uint8Array.from({ length: count }, () => Math.floor(random() * 256));
}

/** What a client would send as float: /255, then (x − mean) / std per channel of an NCHW batch. */
function normalise(pixels: Uint8Array, plane: number): Float32Array {
  return Float32Array.from(pixels, (value, i) => {
    const channel = Math.floor(i / plane) % 3;
    return (value / 255 - (imagenet.mean[channel] ?? 0)) / (imagenet.std[channel] ?? 1);
  });
}

const pixelTensor = (data: Uint8Array, dims: number[]) => new ort.Tensor('uint8', data, dims);

describe('addPixelInput', () => {
  it('computes /255, (x − mean) / std per channel in the graph', async () => {
    const pixels = Uint8Array.from([
      0, 255, 128, 7, 0, 255, 128, 7, 0, 255, 128, 7, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    const batch = pixels.subarray(0, 12);
    const outputs = await runOnce(addPixelInput(passThrough(), imagenet), {
      pixels: pixelTensor(batch, [1, 3, 2, 2]),
    });
    const expected = normalise(batch, 4);
    const got = floats(outputs, 'output');
    expect(got).toHaveLength(12);
    got.forEach((value, i) => expect(value).toBeCloseTo(expected[i] ?? NaN, 5));
  });

  it('declares the pixel input as uint8 with the original shape and no float input left', () => {
    const graph = readModel(addPixelInput(passThrough(), imagenet)).graph;
    expect(graph?.input?.map((i) => i.name)).toEqual(['pixels']);
    const dims = graph?.input?.[0]?.type?.tensorType?.shape?.dim?.map(
      (d) => d.dimParam || Number(d.dimValue),
    );
    expect(dims).toEqual(['N', 3, 2, 2]);
    expect(graph?.node?.some((n) => n.input?.includes('input'))).toBe(false);
  });

  it('gives MobileNetV2 the same answer as float pixels normalised by the client', async () => {
    const model = join(modelsDir, 'mobilenetv2-12-int8.onnx');
    const pixelModel = addPixelInput(await readFile(model), imagenet);
    const pixels = randomPixels(2 * 3 * 224 * 224, 3);
    const fromFloats = floats(
      await runOnce(model, { input: f32(normalise(pixels, 224 * 224), [2, 3, 224, 224]) }),
      'output',
    );
    const fromPixels = floats(
      await runOnce(pixelModel, { pixels: pixelTensor(pixels, [2, 3, 224, 224]) }),
      'output',
    );
    // The first node quantizes its input, so a float differing in the last bit may round to the next step.
    const largest = Math.max(...fromFloats.map(Math.abs));
    const worst = Math.max(...fromPixels.map((value, i) => Math.abs(value - (fromFloats[i] ?? NaN))));
    expect(worst).toBeLessThan(0.02 * largest);
    expect(fromPixels.indexOf(Math.max(...fromPixels.subarray(0, 1000)))).toBe(
      fromFloats.indexOf(Math.max(...fromFloats.subarray(0, 1000))),
    );
  });

  it('refuses a missing input and lists the inputs there are', () => {
    expect(() => addPixelInput(passThrough(), { ...imagenet, input: 'image' })).toThrow(
      'no graph input "image" (inputs: input)',
    );
  });

  it('refuses an input that is not float32 [N,3,H,W]', () => {
    for (const model of [
      passThrough('int64'),
      passThrough('float32', ['N', 4, 2, 2]),
      passThrough('float32', [3, 2, 2]),
    ]) {
      expect(() => addPixelInput(model, imagenet)).toThrow('graph input "input" must be float32 [N,3,H,W]');
    }
  });
});
