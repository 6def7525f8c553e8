/**
 * @module
 * The merged speech model against a reference that runs the two original models separately and windows and
 * averages in JS; the mel frame formula and `min_samples` against onnxruntime; what a too-short clip gives.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModel } from '../onnx/model.ts';
import {
  AUDIO_MODEL,
  audioRecipe,
  melFrames,
  melGeometry,
  minSamples,
  type MelGeometry,
} from './audio-model.ts';
import { mulberry32 } from './text-model.ts';
import { f32, floats, modelsDir } from '../../test/support/backend/model-files.ts';

const melPath = join(modelsDir, 'melspectrogram.onnx');
const embeddingPath = join(modelsDir, 'embedding_model.onnx');
const RATE = AUDIO_MODEL.sampleRate;

let mel: ort.InferenceSession;
let speech: ort.InferenceSession;
let merged: ort.InferenceSession;
let geometry: MelGeometry;
let parameters: Record<string, { string_value: string }>;

beforeAll(async () => {
  const built = await audioRecipe.build({
    'melspectrogram.onnx': melPath,
    'embedding_model.onnx': embeddingPath,
  });
  parameters = built.config.parameters;
  geometry = melGeometry(readModel(await readFile(melPath)).graph ?? {});
  [mel, speech, merged] = await Promise.all([
    ort.InferenceSession.create(melPath),
    ort.InferenceSession.create(embeddingPath),
    ort.InferenceSession.create(built.onnx),
  ]);
});

afterAll(async () => {
  await Promise.all([mel, speech, merged].map((session) => session.release()));
});

function sweep(seconds: number): Float32Array {
  return Float32Array.from({ length: seconds * RATE }, (_, i) => {
    const t = i / RATE;
    return 12000 * Math.sin(2 * Math.PI * (100 * t + ((4000 - 100) / (2 * seconds)) * t * t));
  });
}

function noise(seconds: number, seed: number): Float32Array {
  const random = mulberry32(seed);
  return Float32Array.from({ length: seconds * RATE }, () => (random() * 2 - 1) * 8000);
}

async function melOf(clip: Float32Array): Promise<{ frames: number; data: Float32Array }> {
  const out = await mel.run({ input: f32(clip, [1, clip.length]) });
  return { frames: out.output?.dims[2] ?? -1, data: floats(out, 'output') };
}

/** The pipeline as openWakeWord runs it, with the two original models. */
async function reference(clip: Float32Array): Promise<Float32Array> {
  const { frames, data } = await melOf(clip);
  const { windowFrames, strideFrames, melBins, dimension } = AUDIO_MODEL;
  const starts = Array.from(
    { length: Math.floor((frames - windowFrames) / strideFrames) + 1 },
    (_, w) => w * strideFrames,
  );
  const windows = new Float32Array(starts.length * windowFrames * melBins);
  starts.forEach((start, w) => {
    const slice = data.subarray(start * melBins, (start + windowFrames) * melBins).map((x) => x / 10 + 2);
    windows.set(slice, w * windowFrames * melBins);
  });
  const out = await speech.run({ input_1: f32(windows, [starts.length, windowFrames, melBins, 1]) });
  const perWindow = floats(out, 'conv2d_19');
  return Float32Array.from(
    { length: dimension },
    (_, d) =>
      starts.reduce((sum, _start, w) => sum + (perWindow[w * dimension + d] ?? NaN), 0) / starts.length,
  );
}

async function embed(clip: Float32Array): Promise<ort.Tensor | undefined> {
  return (await merged.run({ audio: f32(clip, [1, clip.length]) })).embedding;
}

describe('speech-embedding', () => {
  it.each([
    ['sweep 1 s', sweep(1)],
    ['sweep 3 s', sweep(3)],
    ['noise 1 s', noise(1, 7)],
    ['noise 3 s', noise(3, 8)],
  ])('matches the two original models run separately (%s)', async (_name, clip) => {
    const expected = await reference(clip);
    const actual = await embed(clip);
    expect(actual?.dims).toEqual([1, 96]);
    const diff = Math.max(
      ...Array.from(actual?.data as Float32Array, (v, i) => Math.abs(v - (expected[i] ?? NaN))),
    );
    expect(diff).toBeLessThan(1e-4);
  });

  it('follows frames(S) = ⌊(S − 512) / 160⌋ + 1 on real runs', async () => {
    expect(geometry).toEqual({ kernel: 512, stride: 160, padding: 0 });
    for (const samples of [512, 671, 672, 1000, 12511, 12512, 16000, 48000]) {
      expect((await melOf(noise(3, 1).subarray(0, samples))).frames).toBe(melFrames(geometry, samples));
    }
    await expect(melOf(new Float32Array(511))).rejects.toThrow(/Conv/);
  });

  it('writes min_samples, the shortest clip with one 76-frame window', async () => {
    const min = minSamples(geometry);
    expect(min).toBe(12512);
    expect(parameters.min_samples?.string_value).toBe(String(min));
    expect((await melOf(noise(1, 2).subarray(0, min))).frames).toBe(76);
    expect((await melOf(noise(1, 2).subarray(0, min - 1))).frames).toBe(75);
    const atMin = await embed(noise(1, 3).subarray(0, min));
    expect(Array.from(atMin?.data as Float32Array).every(Number.isFinite)).toBe(true);
  });

  // Documented behaviour: with fewer than 76 frames there is no window; onnxruntime's mean over zero windows is 0,
  // so the embedding is all zeros (not a usable vector). The audio adapter zero-pads every clip to min_samples.
  it.each([1, 160, 12_000])(
    'gives an all-zero vector (no window) %i samples short of min_samples',
    async (short) => {
      const out = await embed(noise(1, 3).subarray(0, minSamples(geometry) - short));
      expect(out?.dims).toEqual([1, 96]);
      expect(Array.from(out?.data as Float32Array).every((v) => v === 0)).toBe(true);
    },
  );
});
