/**
 * What the converter refuses, with errors that name the op or input at fault.
 */
import { describe, expect, it } from 'vitest';
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
