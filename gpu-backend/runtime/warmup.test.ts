import { describe, expect, it } from 'vitest';
import type { TensorSpec } from './session.ts';
import { bareModelConfig } from '../../test/support/backend/bare-config.ts';
import { warmupFeeds } from './warmup.ts';

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
    const feeds = warmupFeeds(specs, config({}), noFiles);
    expect(feeds.audio?.dims).toEqual([1, 1]);
    expect(feeds.sr).toEqual({ type: 'int64', data: new BigInt64Array(1), dims: [] });
  });

  it('without model_warmup: a maximum-size batch for a batching model', () => {
    const feeds = warmupFeeds(specs, config({ max_batch_size: 16 }), noFiles);
    expect(feeds.audio?.dims).toEqual([16, 1]);
    expect(warmupFeeds(specs, config({ max_batch_size: 0 }), noFiles).audio?.dims).toEqual([1, 1]);
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
    const feeds = warmupFeeds(specs, config({ model_warmup: [sample] }), (file) =>
      file === 'sr' ? sr : noFiles(file),
    );
    expect(feeds.audio?.dims).toEqual([2, 8]);
    expect([...(feeds.sr?.data as BigInt64Array)]).toEqual([16000n, 16000n]);
    expect(feeds.sr?.dims).toEqual([2]);
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
