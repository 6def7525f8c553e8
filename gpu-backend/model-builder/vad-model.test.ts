/**
 * @module
 * Silero VAD v6 as the config declares it: [1,576] input, [2,1,128] state, int64 scalar rate, and the warm-up
 * sample the config names (the `sr` file holds 16000) runs where plain zeros do not.
 */
import type * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { SOURCES, packagePath } from './sources.ts';
import { f32, floats, i64, runOnce } from '../../test/support/backend/model-files.ts';
import { VAD_MODEL, vadRecipe, WARMUP_SR_FILE } from './vad-model.ts';

const path = packagePath(SOURCES['silero_vad_v6.onnx']);
const built = vadRecipe.build({ 'silero_vad_v6.onnx': path });

function feeds(samples: Float32Array, sr: ort.Tensor): Record<string, ort.Tensor> {
  return { input: f32(samples, [1, 576]), state: f32(new Float32Array(256), [2, 1, 128]), sr };
}

describe('silero-vad', () => {
  it('scores one 64+512-sample frame and returns the next state', async () => {
    const tone = Float32Array.from(
      { length: 576 },
      (_, i) => 0.3 * Math.sin((2 * Math.PI * 220 * i) / 16000),
    );
    const out = await runOnce((await built).onnx, feeds(tone, i64([16000], [])));
    expect(out.output?.dims).toEqual([1, 1]);
    expect(out.stateN?.dims).toEqual([2, 1, 128]);
    const probability = floats(out, 'output')[0] ?? NaN;
    expect(probability).toBeGreaterThanOrEqual(0);
    expect(probability).toBeLessThanOrEqual(1);
  });

  it('needs its warm-up file: sr = 0 fails, the file holds 16000', async () => {
    const { onnx, files } = await built;
    await expect(runOnce(onnx, feeds(new Float32Array(576), i64([0], [])))).rejects.toThrow();
    const file = files?.[`warmup/${WARMUP_SR_FILE}`];
    expect(file && new DataView(file.buffer, file.byteOffset).getBigInt64(0, true)).toBe(16000n);
  });

  it('has a config without batching or modality', async () => {
    const { config } = await built;
    expect(config.max_batch_size).toBe(0);
    expect(config.dynamic_batching).toBeUndefined();
    expect(config.parameters.modality).toBeUndefined();
    expect(config.parameters.role?.string_value).toBe('vad');
    expect(config.input.map((i) => [i.name, i.data_type, i.dims])).toEqual([
      ['input', 'TYPE_FP32', [1, VAD_MODEL.contextSamples + VAD_MODEL.frameSamples]],
      ['state', 'TYPE_FP32', [2, 1, 128]],
      ['sr', 'TYPE_INT64', []],
    ]);
  });
});
