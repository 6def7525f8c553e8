import { describe, expect, it } from 'vitest';
import { DynamicBatcher } from './batcher.ts';
import { makeScheduler, maxBatchTokens, maxPaddingWaste } from './make-scheduler.ts';
import { ModelStats } from './stats.ts';
import { bareModelConfig } from '../../test/support/backend/bare-config.ts';

const config = (extra: object = {}) => bareModelConfig(extra);
const waste = (value: string) => config({ parameters: { max_padding_waste: { string_value: value } } });
const tokens = (value: string) => config({ parameters: { max_batch_tokens: { string_value: value } } });
const run = async () => ({});

describe('makeScheduler', () => {
  it('the dynamic batcher only with dynamic_batching and max_batch_size above 0', () => {
    const batching = { dynamic_batching: {} };
    expect(makeScheduler(config(batching), [run], new ModelStats())).toBeInstanceOf(DynamicBatcher);
    expect(makeScheduler(config(), [run], new ModelStats())).not.toBeInstanceOf(DynamicBatcher);
    const unbatched = config({ ...batching, max_batch_size: 0 });
    expect(makeScheduler(unbatched, [run], new ModelStats())).not.toBeInstanceOf(DynamicBatcher);
  });
});

describe('maxPaddingWaste', () => {
  it('reads the parameter as a share from 0 to 1; absent is no bound', () => {
    expect(maxPaddingWaste(config())).toBeUndefined();
    expect(maxPaddingWaste(waste('0.15'))).toBe(0.15);
    expect(maxPaddingWaste(waste('0'))).toBe(0);
    expect(maxPaddingWaste(waste('1'))).toBe(1);
  });

  it('refuses anything else, naming the parameter', () => {
    for (const bad of ['', ' ', '-0.1', '1.5', 'lots', 'NaN']) {
      expect(() => maxPaddingWaste(waste(bad))).toThrow(/max_padding_waste must be a number from 0 to 1/);
    }
  });
});

describe('maxBatchTokens', () => {
  it('reads the parameter as a whole number of at least 1; absent is no budget', () => {
    expect(maxBatchTokens(config())).toBeUndefined();
    expect(maxBatchTokens(tokens('1024'))).toBe(1024);
    expect(maxBatchTokens(tokens('1'))).toBe(1);
  });

  it('refuses anything else, naming the parameter', () => {
    for (const bad of ['', ' ', '0', '-5', '1.5', '1e3', 'lots', 'Infinity']) {
      expect(() => maxBatchTokens(tokens(bad))).toThrow(
        /max_batch_tokens must be a whole number of at least 1/,
      );
    }
  });
});
