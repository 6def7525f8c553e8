/**
 * Which ONNX forms the converter picks, and what it refuses, with errors that name the op or input at fault.
 */
import { describe, expect, it } from 'vitest';
import { readModel } from '../onnx/model.ts';
import { attr, convertOnly, values, type TestGraph, type TestInput } from './testing.ts';

function input(name: string, shape: number[]): TestInput {
  return { name, dtype: 'float32', shape, values: values(shape.reduce((a, b) => a * b, 1)) };
}

const x34 = input('x', [3, 4]);

describe('what the converter refuses', () => {
  it('an op it has no translation for, by name', async () => {
    const graph = { inputs: [x34], nodes: [{ name: 'out', op: 'Unique', input: ['x'] }], output: 'out' };
    await expect(convertOnly(graph)).rejects.toThrow('TF op Unique (node "out") has no ONNX translation');
  });

  it('a Conv2D whose kernel is not 1×1', async () => {
    const graph: TestGraph = {
      inputs: [input('x', [1, 5, 5, 2])],
      constants: [{ name: 'kernel', dtype: 'float32', shape: [3, 3, 2, 2], values: values(36) }],
      nodes: [
        {
          name: 'out',
          op: 'Conv2D',
          input: ['x', 'kernel'],
          attr: { strides: attr.ints([1, 1, 1, 1]), padding: attr.s('SAME') },
        },
      ],
      output: 'out',
    };
    await expect(convertOnly(graph)).rejects.toThrow('constant 1×1 kernel');
  });

  it('an axis that is not a constant', async () => {
    const graph: TestGraph = {
      inputs: [x34, { name: 'axis', dtype: 'int32', shape: [], values: [1] }],
      nodes: [{ name: 'out', op: 'ExpandDims', input: ['x', 'axis'] }],
      output: 'out',
    };
    await expect(convertOnly(graph)).rejects.toThrow('needs a constant int input 1');
  });
});

describe('the ONNX form of an adjoint BatchMatMul', () => {
  const adjoint = (b: string, extra: TestGraph['nodes'] = []): TestGraph => ({
    inputs: [input('a', [2, 3, 4]), input('b', [2, 5, 4])],
    nodes: [...extra, { name: 'out', op: 'BatchMatMul', input: ['a', b], attr: { adj_y: attr.b(true) } }],
    output: 'out',
  });
  const ops = async (graph: TestGraph) =>
    (readModel(await convertOnly(graph)).graph?.node ?? []).map((n) => n.opType);

  it('is Transpose + MatMul when the rank is known', async () => {
    expect(await ops(adjoint('b'))).toEqual(['Transpose', 'MatMul', 'Identity']);
  });

  it('is Einsum when it is not', async () => {
    const dynamic = [
      { name: 'shape', op: 'Shape', input: ['b'] },
      { name: 'b2', op: 'Reshape', input: ['b', 'shape'] },
    ];
    expect(await ops(adjoint('b2', dynamic))).toEqual(['Shape', 'Reshape', 'Einsum', 'Identity']);
  });
});
