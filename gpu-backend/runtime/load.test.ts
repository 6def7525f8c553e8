import { describe, expect, it } from 'vitest';
import { instanceCount, modelSettings } from './load.ts';
import { bareModelConfig } from '../../test/support/backend/bare-config.ts';

const server = { requested: 'cpu', deviceId: 0, intraOpThreads: 2 } as const;
const threads = (value: string) =>
  bareModelConfig({ parameters: { intra_op_thread_count: { string_value: value } } });

const config = (instance_group?: object[]) => bareModelConfig(instance_group ? { instance_group } : {});

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

describe('modelSettings', () => {
  it('the model’s intra_op_thread_count overrides the server’s threads; absent, the server’s hold', () => {
    expect(modelSettings(config(), server)).toEqual(server);
    expect(modelSettings(threads('1'), server)).toEqual({ ...server, intraOpThreads: 1 });
    expect(modelSettings(threads('4'), { requested: 'auto', deviceId: 1 })).toEqual({
      requested: 'auto',
      deviceId: 1,
      intraOpThreads: 4,
    });
  });

  it('refuses a count that is not a whole number ≥ 1, naming the parameter', () => {
    for (const bad of ['0', '-1', '1.5', 'two', '']) {
      expect(() => modelSettings(threads(bad), server)).toThrow(
        /intra_op_thread_count must be a whole number/,
      );
    }
  });
});
