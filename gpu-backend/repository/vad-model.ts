/**
 * @module
 * `silero-vad`: Silero VAD v6 copied unchanged from `@ricky0123/vad-web`, a helper model of the audio adapter
 * (no modality, no batch dimension). One call scores one 512-sample frame at 16 kHz and carries a recurrent state:
 * `input` f32 [1,576] = the previous frame's last 64 samples (zeros at the start) + 512 new samples, `state`
 * f32 [2,1,128] (zeros at the start, then the previous `stateN`), `sr` int64 scalar 16000; outputs `output`
 * f32 [1,1] (speech probability) and `stateN` f32 [2,1,128]. The graph itself accepts a batch N in place of the
 * 1s, but the adapter steps one clip through time, so the config fixes N = 1.
 */
import { readFile } from 'node:fs/promises';
import { modelConfig, sourceOf, type ModelRecipe } from './recipe.ts';

export const VAD_MODEL = {
  name: 'silero-vad',
  sampleRate: 16000,
  frameSamples: 512,
  contextSamples: 64,
} as const;

export const vadRecipe: ModelRecipe = {
  name: VAD_MODEL.name,
  version: 1,
  sources: ['silero_vad_v6.onnx'],
  settings: VAD_MODEL,
  async build(sources) {
    const { frameSamples, contextSamples } = VAD_MODEL;
    return {
      onnx: await readFile(sourceOf(sources, 'silero_vad_v6.onnx')),
      config: modelConfig({
        name: VAD_MODEL.name,
        maxBatchSize: 0,
        input: [
          { name: 'input', data_type: 'TYPE_FP32', dims: [1, contextSamples + frameSamples] },
          { name: 'state', data_type: 'TYPE_FP32', dims: [2, 1, 128] },
          { name: 'sr', data_type: 'TYPE_INT64', dims: [] },
        ],
        output: [
          { name: 'output', data_type: 'TYPE_FP32', dims: [1, 1] },
          { name: 'stateN', data_type: 'TYPE_FP32', dims: [2, 1, 128] },
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
