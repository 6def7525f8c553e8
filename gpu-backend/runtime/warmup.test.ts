import { describe, expect, it } from 'vitest';
import type { TensorSpec } from './session.ts';
import { bareModelConfig } from '../../test/support/backend/bare-config.ts';
import { parseWarmupMode, rawWarmupItems, warmupFeeds } from './warmup.ts';

const specs: TensorSpec[] = [
  { name: 'audio', type: 'float32', shape: ['N', 'S'] },
  { name: 'sr', type: 'int64', shape: [] },
];
const config = (extra: object) => bareModelConfig(extra, 1);
const noFiles = (file: string): Uint8Array => {
  throw new Error(`unexpected read of ${file}`);
};

describe('warmupFeeds', () => {
  it('without model_warmup: zeros, variable dims set to 1', () => {
    const [feeds, more] = warmupFeeds(specs, config({}), noFiles);
    expect(more).toBeUndefined();
    expect(feeds?.audio?.dims).toEqual([1, 1]);
    expect(feeds?.sr).toEqual({ type: 'int64', data: new BigInt64Array(1), dims: [] });
  });

  it('without model_warmup: a maximum-size batch for a batching model', () => {
    const [feeds] = warmupFeeds(specs, config({ max_batch_size: 16 }), noFiles);
    expect(feeds?.audio?.dims).toEqual([16, 1]);
    expect(warmupFeeds(specs, config({ max_batch_size: 0 }), noFiles)[0]?.audio?.dims).toEqual([1, 1]);
  });

  it('uses the first sample: batch_size prepended, each row filled from the warmup/ file', () => {
    const sr = new Uint8Array(BigInt64Array.from([16000n]).buffer);
    const sample = {
      name: 'silence',
      batch_size: 2,
      inputs: {
        audio: { data_type: 'TYPE_FP32', dims: [8], zero_data: true },
        sr: { data_type: 'TYPE_INT64', dims: [], input_data_file: 'sr' },
      },
    };
    const [feeds, more] = warmupFeeds(specs, config({ model_warmup: [sample] }), (file) =>
      file === 'sr' ? sr : noFiles(file),
    );
    expect(more).toBeUndefined();
    expect(feeds?.audio?.dims).toEqual([2, 8]);
    expect([...(feeds?.sr?.data as BigInt64Array)]).toEqual([16000n, 16000n]);
    expect(feeds?.sr?.dims).toEqual([2]);
  });

  it.each([
    [{ audio: { data_type: 'TYPE_FP32', dims: [8] } }, 'model_warmup "w" has no input "sr" (it has: audio)'],
    [
      { audio: { data_type: 'TYPE_FP64', dims: [8] }, sr: { data_type: 'TYPE_INT64', dims: [] } },
      'model_warmup "w": input "audio" is float32, not TYPE_FP64',
    ],
    [
      {
        audio: { data_type: 'TYPE_FP32', dims: [8] },
        sr: { data_type: 'TYPE_INT64', dims: [], input_data_file: '../x' },
      },
      'warm-up file "../x" must be a plain file name',
    ],
    [
      {
        audio: { data_type: 'TYPE_FP32', dims: [8] },
        sr: { data_type: 'TYPE_INT64', dims: [], input_data_file: 'sr' },
      },
      'warm-up file "sr" has 3 bytes, input "sr" needs 8',
    ],
  ])('refuses a sample that does not fit the model (%#)', (inputs, message) => {
    const cfg = config({ max_batch_size: 0, model_warmup: [{ name: 'w', inputs }] });
    expect(() => warmupFeeds(specs, cfg, () => new Uint8Array(3))).toThrow(message);
  });
});

const rawSample = (name: string, file: string, batch?: number) => ({
  name,
  ...(batch ? { batch_size: batch } : {}),
  inputs: { raw: { data_type: 'TYPE_STRING', dims: [1], input_data_file: file } },
});
const onnxSample = {
  name: 'onnx',
  inputs: {
    audio: { data_type: 'TYPE_FP32', dims: [4], zero_data: true },
    sr: { data_type: 'TYPE_INT64', dims: [], zero_data: true },
  },
};

describe('raw warm-up samples', () => {
  const files: Record<string, Uint8Array> = { 'a.txt': new TextEncoder().encode('a sentence') };
  const read = (file: string) => files[file] ?? noFiles(file);

  it('are left out of the ONNX feeds, and each sample after them is its own feeds', () => {
    const cfg = config({ max_batch_size: 8, model_warmup: [rawSample('text', 'a.txt'), onnxSample] });
    const feeds = warmupFeeds(specs, cfg, read, 'raw');
    expect(feeds).toHaveLength(1);
    expect(feeds[0]?.audio?.dims).toEqual([1, 4]);
    // Only raw samples: the ONNX level still gets its maximum-size batch of zeros.
    const onlyRaw = config({ max_batch_size: 8, model_warmup: [rawSample('text', 'a.txt')] });
    expect(warmupFeeds(specs, onlyRaw, read, 'raw')[0]?.audio?.dims).toEqual([8, 1]);
  });

  it('hold the file as one item, batch_size times', () => {
    const cfg = config({ max_batch_size: 8, model_warmup: [rawSample('text', 'a.txt', 3), onnxSample] });
    const [items, more] = rawWarmupItems(cfg, 'raw', read);
    expect(more).toBeUndefined();
    expect(items?.map((item) => new TextDecoder().decode(item))).toEqual([
      'a sentence',
      'a sentence',
      'a sentence',
    ]);
  });

  it.each([
    [rawSample('w', 'missing.txt'), 'unexpected read of missing.txt'],
    [rawSample('w', '../a.txt'), 'warm-up file "../a.txt" must be a plain file name'],
    [rawSample('w', 'empty.txt'), 'warm-up file "empty.txt" is empty'],
    [rawSample('w', 'a.txt', 9), 'model_warmup "w": batch_size 9 is over max_batch_size 8'],
    [
      { name: 'w', inputs: { raw: { data_type: 'TYPE_STRING', dims: [1], zero_data: true } } },
      'model_warmup "w": the raw input "raw" needs TYPE_STRING and an input_data_file holding one item',
    ],
    [
      { name: 'w', inputs: { ...rawSample('w', 'a.txt').inputs, ...onnxSample.inputs } },
      'model_warmup "w": send "raw" alone, not with audio, sr',
    ],
  ])('refuses a raw sample that cannot be sent (%#)', (sample, message) => {
    const withEmpty = (file: string) => (file === 'empty.txt' ? new Uint8Array(0) : read(file));
    const cfg = config({ max_batch_size: 8, model_warmup: [sample] });
    expect(() => rawWarmupItems(cfg, 'raw', withEmpty)).toThrow(message);
  });
});

describe('parseWarmupMode', () => {
  it('defaults to full and reads onnx and off', () => {
    expect(parseWarmupMode(undefined)).toBe('full');
    expect(parseWarmupMode(' ')).toBe('full');
    expect(parseWarmupMode('OFF')).toBe('off');
    expect(parseWarmupMode('onnx')).toBe('onnx');
  });

  it('refuses anything else, naming the choices', () => {
    expect(() => parseWarmupMode('yes')).toThrow(
      'MODALFUSE_WARMUP must be one of full, onnx, off, got "yes"',
    );
  });
});
