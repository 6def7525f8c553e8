import { describe, expect, it } from 'vitest';
import { modelConfigSchema } from '../repository/config.ts';
import { instanceCount } from './load.ts';

const config = (instance_group?: object[]) =>
  modelConfigSchema.parse({
    name: 'm',
    platform: 'onnxruntime_onnx',
    max_batch_size: 4,
    input: [],
    output: [],
    ...(instance_group ? { instance_group } : {}),
  });

describe('instanceCount', () => {
  it('one session without instance_group, else the sum of the counts (a group without count is one)', () => {
    expect(instanceCount(config())).toBe(1);
    expect(instanceCount(config([]))).toBe(1);
    expect(instanceCount(config([{ count: 2, kind: 'KIND_GPU' }]))).toBe(2);
    expect(instanceCount(config([{ count: 3 }, { kind: 'KIND_CPU' }]))).toBe(4);
  });

  it('the schema refuses a count below one', () => {
    expect(() => config([{ count: 0 }])).toThrow();
  });
});
