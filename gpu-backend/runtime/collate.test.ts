import { describe, expect, it } from 'vitest';
import { collate, concatBatch, splitBatch } from './collate.ts';
import type { HostTensor } from './tensor.ts';

const f32 = (dims: number[], values: number[]): HostTensor => ({
  type: 'float32',
  data: Float32Array.from(values),
  dims,
});
const values = (tensor: HostTensor | undefined) => Array.from(tensor?.data as ArrayLike<number>);

describe('concatBatch', () => {
  it('pads the last dim to the batch maximum with zeros', () => {
    const batch = concatBatch('x', [f32([1, 2], [1, 2]), f32([1, 4], [3, 4, 5, 6]), f32([1, 1], [7])]);
    expect(batch.dims).toEqual([3, 4]);
    expect(values(batch)).toEqual([1, 2, 0, 0, 3, 4, 5, 6, 7, 0, 0, 0]);
  });

  it('pads inner dims of rank-3 tensors, keeping rows in place', () => {
    const a = f32([1, 2, 2], [1, 2, 3, 4]);
    const b = f32([1, 1, 3], [5, 6, 7]);
    const batch = concatBatch('x', [a, b]);
    expect(batch.dims).toEqual([2, 2, 3]);
    expect(values(batch)).toEqual([1, 2, 0, 3, 4, 0, 5, 6, 7, 0, 0, 0]);
  });

  it('pads a middle dim while the trailing dims already match', () => {
    const a = f32([1, 1, 2, 2], [1, 2, 3, 4]);
    const b = f32([1, 2, 2, 2], [5, 6, 7, 8, 9, 10, 11, 12]);
    const batch = concatBatch('x', [a, b, f32([1, 1, 2, 2], [13, 14, 15, 16])]);
    expect(batch.dims).toEqual([3, 2, 2, 2]);
    expect(values(batch)).toEqual([
      1, 2, 3, 4, 0, 0, 0, 0, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 0, 0, 0, 0,
    ]);
  });

  it('concatenates items that carry several rows each', () => {
    const batch = concatBatch('x', [f32([2, 1], [1, 2]), f32([1, 2], [3, 4])]);
    expect(batch.dims).toEqual([3, 2]);
    expect(values(batch)).toEqual([1, 0, 2, 0, 3, 4]);
  });

  it('keeps int64 and bool element types and pads with zero', () => {
    const ids = concatBatch('ids', [
      { type: 'int64', data: BigInt64Array.from([5n]), dims: [1, 1] },
      { type: 'int64', data: BigInt64Array.from([6n, 7n]), dims: [1, 2] },
    ]);
    expect([...(ids.data as BigInt64Array)]).toEqual([5n, 0n, 6n, 7n]);
    const mask = concatBatch('mask', [
      { type: 'bool', data: Uint8Array.from([1, 1]), dims: [1, 2] },
      { type: 'bool', data: Uint8Array.from([1]), dims: [1, 1] },
    ]);
    expect(mask.type).toBe('bool');
    expect([...(mask.data as Uint8Array)]).toEqual([1, 1, 1, 0]);
  });

  it('pads strings with empty strings', () => {
    const batch = concatBatch('s', [
      { type: 'string', data: ['a'], dims: [1, 1] },
      { type: 'string', data: ['b', 'c'], dims: [1, 2] },
    ]);
    expect(batch.data).toEqual(['a', '', 'b', 'c']);
  });

  it('refuses items of different types or ranks, and scalars', () => {
    expect(() => concatBatch('x', [f32([1, 2], [1, 2]), f32([1, 1, 2], [1, 2])])).toThrow(
      'cannot batch "x": items differ (float32[1,2] vs float32[1,1,2])',
    );
    expect(() =>
      concatBatch('x', [f32([1], [1]), { type: 'int32', data: Int32Array.from([1]), dims: [1] }]),
    ).toThrow(/items differ/);
    expect(() => concatBatch('x', [f32([], [1])])).toThrow('cannot batch "x": it is a scalar');
    expect(() => concatBatch('x', [])).toThrow(/no tensors/);
  });
});

describe('collate and splitBatch', () => {
  it('collate batches every named tensor; split cuts a batch back into items', () => {
    const items = [
      { x: f32([1, 1], [1]), y: f32([1], [10]) },
      { x: f32([1, 3], [2, 3, 4]), y: f32([1], [20]) },
    ];
    const batch = collate(items);
    expect(batch.x?.dims).toEqual([2, 3]);
    expect(values(batch.y)).toEqual([10, 20]);
    const split = splitBatch(batch, 2);
    expect(split.map((item) => values(item.x))).toEqual([
      [1, 0, 0],
      [2, 3, 4],
    ]);
    expect(split[1]?.y?.dims).toEqual([1]);
  });

  it('collate refuses items with different tensor names, and an empty batch', () => {
    expect(() => collate([{ x: f32([1], [1]) }, { z: f32([1], [1]) }])).toThrow(
      /different tensors: \[x\] vs \[z\]/,
    );
    expect(() => collate([])).toThrow(/empty batch/);
  });

  it('splitBatch refuses an output without the batch dimension', () => {
    expect(() => splitBatch({ out: f32([3], [1, 2, 3]) }, 2)).toThrow(
      'output "out" has shape [3]: expected batch dimension 2',
    );
  });
});
