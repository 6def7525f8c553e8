import { describe, expect, it } from 'vitest';
import { checkInputs, directItems, rawItems, resolveOutputs } from './inputs.ts';
import type { TensorSpec } from './session.ts';
import type { HostTensor } from './tensor.ts';

const specs: TensorSpec[] = [
  { name: 'input_ids', type: 'int64', shape: ['N', 'L'] },
  { name: 'weights', type: 'float32', shape: ['N', 'L'] },
];
const ids = (dims: number[]): HostTensor => ({
  type: 'int64',
  data: new BigInt64Array(dims.reduce((a, b) => a * b, 1)),
  dims,
});
const weights = (dims: number[]): HostTensor => ({
  type: 'float32',
  data: new Float32Array(dims.reduce((a, b) => a * b, 1)),
  dims,
});
const bytes = (items: string[], dims = [items.length]): HostTensor => ({
  type: 'bytes',
  data: items.map((item) => new TextEncoder().encode(item)),
  dims,
});

describe('directItems', () => {
  it('splits a batching model’s inputs into one item per row', () => {
    const items = directItems(specs, { input_ids: ids([3, 2]), weights: weights([3, 2]) }, 8);
    expect(items).toHaveLength(3);
    expect(items[2]?.input_ids?.dims).toEqual([1, 2]);
  });

  it('passes a one-row request of a batching model as it is, without copying its tensors', () => {
    const inputs = { input_ids: ids([1, 2]), weights: weights([1, 2]) };
    const [item, ...rest] = directItems(specs, inputs, 8);
    expect(rest).toHaveLength(0);
    expect(item?.input_ids?.data).toBe(inputs.input_ids.data);
    expect(item?.weights?.data).toBe(inputs.weights.data);
  });

  it('passes a non-batching model’s inputs as they are', () => {
    const inputs = { input_ids: ids([3, 2]), weights: weights([3, 2]) };
    expect(directItems(specs, inputs, 0)).toEqual([inputs]);
  });

  it.each([
    [
      { input_ids: ids([1, 2]), weights: weights([1, 2]), extra: ids([1, 2]) },
      'unknown input "extra" (model inputs: input_ids, weights)',
    ],
    [{ input_ids: ids([1, 2]) }, 'missing input "weights" (model inputs: input_ids, weights)'],
    [{ input_ids: weights([1, 2]), weights: weights([1, 2]) }, 'input "input_ids" must be INT64, got FP32'],
    [
      { input_ids: ids([1, 2]), weights: { ...weights([1, 2]), dims: [2] } },
      'input "weights" has shape [2], model expects [N,L]',
    ],
    [
      { input_ids: ids([2, 2]), weights: weights([3, 2]) },
      'inputs disagree on the batch dimension (dim 0): 2 vs 3',
    ],
    [{ input_ids: ids([0, 2]), weights: weights([0, 2]) }, 'the batch dimension (dim 0) must be at least 1'],
  ])('refuses %# with a 400', (inputs, message) => {
    expect(() => directItems(specs, inputs, 8)).toThrow(expect.objectContaining({ status: 400, message }));
  });

  it('checks fixed dims, except the batch dim of a batching model', () => {
    const fixed: TensorSpec[] = [{ name: 'audio', type: 'float32', shape: [1, 4] }];
    const audio = (dims: number[]): HostTensor => ({ type: 'float32', data: new Float32Array(8), dims });
    expect(() => checkInputs(fixed, { audio: audio([2, 4]) }, true)).not.toThrow();
    expect(() => checkInputs(fixed, { audio: audio([2, 4]) }, false)).toThrow(
      'input "audio" has shape [2,4], model expects [1,4]',
    );
    expect(() => checkInputs(fixed, { audio: audio([1, 8]) }, true)).toThrow(/model expects \[1,4\]/);
  });

  it('a BYTES input matches an ONNX string input', () => {
    const text: TensorSpec[] = [{ name: 'text', type: 'string', shape: ['N'] }];
    expect(() => checkInputs(text, { text: bytes(['a']) }, true)).not.toThrow();
  });
});

describe('rawItems', () => {
  it('takes [N] and [N,1]', () => {
    expect(rawItems('raw', bytes(['a', 'b']), 4)).toHaveLength(2);
    expect(rawItems('raw', bytes(['a', 'b'], [2, 1]), 4)).toHaveLength(2);
  });

  it.each([
    [bytes(['a', 'b'], [1, 2]), 4, 'input "raw" must have shape [N] or [N,1], got [1,2]'],
    [bytes(['a'], [1, 1, 1]), 4, 'input "raw" must have shape [N] or [N,1], got [1,1,1]'],
    [bytes([], [0]), 4, 'input "raw" holds no items'],
    [weights([1, 1]), 4, 'input "raw" must be BYTES, got FP32'],
    [bytes(['a', 'b']), 0, 'this model does not batch (max_batch_size 0): send one "raw" item, got 2'],
  ])('refuses %# with a 400', (tensor, maxBatchSize, message) => {
    expect(() => rawItems('raw', tensor, maxBatchSize)).toThrow(
      expect.objectContaining({ status: 400, message }),
    );
  });
});

describe('resolveOutputs', () => {
  const available = ['logits', 'embedding', 'extra'];

  it('defaults to every output, the config’s order first', () => {
    expect(resolveOutputs(available, ['embedding', 'logits'])).toEqual(['embedding', 'logits', 'extra']);
    expect(resolveOutputs(available, ['embedding'], [])).toEqual(['embedding', 'logits', 'extra']);
  });

  it('keeps the requested subset and order', () => {
    expect(resolveOutputs(available, ['embedding'], ['extra', 'logits'])).toEqual(['extra', 'logits']);
  });

  it('refuses unknown and repeated outputs', () => {
    expect(() => resolveOutputs(available, [], ['nope'])).toThrow(
      expect.objectContaining({
        status: 400,
        message: 'unknown output "nope" (model outputs: logits, embedding, extra)',
      }),
    );
    expect(() => resolveOutputs(available, [], ['logits', 'logits'])).toThrow(
      'output "logits" is requested twice',
    );
  });
});
