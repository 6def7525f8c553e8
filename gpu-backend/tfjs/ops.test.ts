/**
 * Each op translation against TF.js itself: a one- or few-op graph runs in `@energetic-ai/core` and, converted,
 * in onnxruntime, and both must give the same shape and values.
 */
import { describe, expect, it } from 'vitest';
import { attr, bothWays, values, type TestConstant, type TestGraph, type TestInput } from './testing.ts';

const F = { T: attr.type('DT_FLOAT') };

function input(name: string, shape: number[], seed = 1): TestInput {
  const count = shape.reduce((a, b) => a * b, 1);
  return { name, dtype: 'float32', shape, values: values(count, seed) };
}

function ints(name: string, list: number[], shape: number[] = [list.length]): TestConstant {
  return { name, dtype: 'int32', shape, values: list };
}

function floats(name: string, shape: number[], seed = 3): TestConstant {
  return {
    name,
    dtype: 'float32',
    shape,
    values: values(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
  };
}

const x34 = input('x', [3, 4]);

const cases: [string, TestGraph][] = [
  [
    'StridedSlice with begin/end masks and a negative stride',
    {
      inputs: [input('x', [3, 4, 5])],
      constants: [ints('b', [1, 0, -1]), ints('e', [3, 4, 0]), ints('s', [1, 2, -1])],
      nodes: [
        {
          name: 'out',
          op: 'StridedSlice',
          input: ['x', 'b', 'e', 's'],
          attr: { begin_mask: attr.i(2), end_mask: attr.i(4) },
        },
      ],
      output: 'out',
    },
  ],
  [
    'StridedSlice shrinking to the last row',
    {
      inputs: [x34],
      constants: [ints('b', [-1, 1]), ints('e', [0, 3]), ints('s', [1, 1])],
      nodes: [
        {
          name: 'out',
          op: 'StridedSlice',
          input: ['x', 'b', 'e', 's'],
          attr: { shrink_axis_mask: attr.i(1) },
        },
      ],
      output: 'out',
    },
  ],
  [
    'Slice with a size of -1',
    {
      inputs: [x34],
      constants: [ints('begin', [1, 0]), ints('size', [-1, 2])],
      nodes: [{ name: 'out', op: 'Slice', input: ['x', 'begin', 'size'] }],
      output: 'out',
    },
  ],
  [
    'Pack at axis 1, Tanh',
    {
      inputs: [input('x', [2, 3])],
      nodes: [
        { name: 't', op: 'Tanh', input: ['x'], attr: F },
        { name: 'out', op: 'Pack', input: ['x', 't'], attr: { axis: attr.i(1), N: attr.i(2) } },
      ],
      output: 'out',
    },
  ],
  [
    'SplitV outputs reordered by ConcatV2',
    {
      inputs: [input('x', [2, 6])],
      constants: [ints('sizes', [1, 2, 3]), ints('axis', [1], [])],
      nodes: [
        { name: 'split', op: 'SplitV', input: ['x', 'sizes', 'axis'], attr: { num_split: attr.i(3) } },
        {
          name: 'out',
          op: 'ConcatV2',
          input: ['split:2', 'split', 'split:1', 'axis'],
          attr: { N: attr.i(3) },
        },
      ],
      output: 'out',
    },
  ],
  [
    'Where → GatherNd → Square → ScatterNd back into the shape',
    {
      inputs: [x34],
      constants: [{ name: 'zero', dtype: 'float32', shape: [], values: [0] }],
      nodes: [
        { name: 'positive', op: 'Greater', input: ['x', 'zero'], attr: F },
        { name: 'where', op: 'Where', input: ['positive'], attr: { T: attr.type('DT_BOOL') } },
        { name: 'gathered', op: 'GatherNd', input: ['x', 'where'] },
        { name: 'squared', op: 'Square', input: ['gathered'], attr: F },
        { name: 'shape', op: 'Shape', input: ['x'] },
        { name: 'out', op: 'ScatterNd', input: ['where', 'squared', 'shape'], attr: F },
      ],
      output: 'out',
    },
  ],
  [
    'BatchMatMul with adj_x',
    {
      inputs: [input('a', [2, 4, 3]), input('b', [2, 4, 5], 2)],
      nodes: [{ name: 'out', op: 'BatchMatMul', input: ['a', 'b'], attr: { adj_x: attr.b(true) } }],
      output: 'out',
    },
  ],
  [
    'BatchMatMulV2 with adj_y',
    {
      inputs: [input('a', [2, 3, 4]), input('b', [2, 5, 4], 2)],
      nodes: [{ name: 'out', op: 'BatchMatMulV2', input: ['a', 'b'], attr: { adj_y: attr.b(true) } }],
      output: 'out',
    },
  ],
  [
    'BatchMatMul with adj_y on a tensor of unknown rank (Einsum)',
    {
      inputs: [input('a', [2, 3, 4]), input('b', [2, 5, 4], 2)],
      nodes: [
        { name: 'b_shape', op: 'Shape', input: ['b'] },
        { name: 'b_again', op: 'Reshape', input: ['b', 'b_shape'] },
        { name: 'out', op: 'BatchMatMul', input: ['a', 'b_again'], attr: { adj_y: attr.b(true) } },
      ],
      output: 'out',
    },
  ],
  [
    'Conv2D with a 1×1 kernel, then BiasAdd',
    {
      inputs: [input('x', [1, 5, 1, 4])],
      constants: [floats('kernel', [1, 1, 4, 3]), floats('bias', [3], 5)],
      nodes: [
        {
          name: 'conv',
          op: 'Conv2D',
          input: ['x', 'kernel'],
          attr: {
            strides: attr.ints([1, 1, 1, 1]),
            dilations: attr.ints([1, 1, 1, 1]),
            padding: attr.s('VALID'),
            data_format: attr.s('NHWC'),
          },
        },
        { name: 'out', op: 'BiasAdd', input: ['conv', 'bias'], attr: { data_format: attr.s('NHWC') } },
      ],
      output: 'out',
    },
  ],
  [
    'MatMul with transpose_a and transpose_b',
    {
      inputs: [input('a', [3, 2]), input('b', [4, 3], 2)],
      nodes: [
        {
          name: 'out',
          op: 'MatMul',
          input: ['a', 'b'],
          attr: { transpose_a: attr.b(true), transpose_b: attr.b(true) },
        },
      ],
      output: 'out',
    },
  ],
  [
    'Sum, Mean, Max and Prod with and without keep_dims',
    {
      inputs: [input('x', [2, 3, 4])],
      constants: [ints('a1', [1]), ints('last', [-1]), ints('a02', [0, 2]), ints('none', [])],
      nodes: [
        { name: 'sum', op: 'Sum', input: ['x', 'a1'], attr: { keep_dims: attr.b(true) } },
        { name: 'mean', op: 'Mean', input: ['sum', 'last'], attr: { keep_dims: attr.b(false) } },
        { name: 'max', op: 'Max', input: ['x', 'a02'], attr: { keep_dims: attr.b(false) } },
        { name: 'prod', op: 'Prod', input: ['max', 'none'], attr: { keep_dims: attr.b(false) } },
        { name: 'out', op: 'Mul', input: ['mean', 'prod'], attr: F },
      ],
      output: 'out',
    },
  ],
  [
    'layer norm arithmetic: Square, Mean, Rsqrt, Sub, RealDiv, Maximum, Relu, Sin, Cos, Softmax',
    {
      inputs: [x34],
      constants: [ints('last', [-1]), { name: 'eps', dtype: 'float32', shape: [], values: [1e-6] }],
      nodes: [
        { name: 'mean', op: 'Mean', input: ['x', 'last'], attr: { keep_dims: attr.b(true) } },
        { name: 'centred', op: 'Sub', input: ['x', 'mean'], attr: F },
        { name: 'sq', op: 'Square', input: ['centred'], attr: F },
        { name: 'var', op: 'Mean', input: ['sq', 'last'], attr: { keep_dims: attr.b(true) } },
        { name: 'var_eps', op: 'Maximum', input: ['var', 'eps'], attr: F },
        { name: 'inv', op: 'Rsqrt', input: ['var_eps'], attr: F },
        { name: 'normed', op: 'RealDiv', input: ['centred', 'inv'], attr: F },
        { name: 'relu', op: 'Relu', input: ['normed'], attr: F },
        { name: 'sin', op: 'Sin', input: ['relu'], attr: F },
        { name: 'cos', op: 'Cos', input: ['sin'], attr: F },
        { name: 'out', op: 'Softmax', input: ['cos'], attr: F },
      ],
      output: 'out',
    },
  ],
  [
    'Shape → StridedSlice → Range → Cast, and LogicalNot of a comparison',
    {
      inputs: [x34],
      constants: [
        ints('one', [1]),
        ints('two', [2]),
        ints('zero', [0], []),
        ints('step', [1], []),
        { name: 'half', dtype: 'float32', shape: [], values: [0.5] },
      ],
      nodes: [
        { name: 'shape', op: 'Shape', input: ['x'] },
        {
          name: 'width',
          op: 'StridedSlice',
          input: ['shape', 'one', 'two', 'one'],
          attr: { shrink_axis_mask: attr.i(1) },
        },
        {
          name: 'range',
          op: 'Range',
          input: ['zero', 'width', 'step'],
          attr: { Tidx: attr.type('DT_INT32') },
        },
        {
          name: 'positions',
          op: 'Cast',
          input: ['range'],
          attr: { SrcT: attr.type('DT_INT32'), DstT: attr.type('DT_FLOAT') },
        },
        { name: 'small', op: 'Less', input: ['x', 'half'], attr: F },
        { name: 'large', op: 'LogicalNot', input: ['small'] },
        {
          name: 'flags',
          op: 'Cast',
          input: ['large'],
          attr: { SrcT: attr.type('DT_BOOL'), DstT: attr.type('DT_FLOAT') },
        },
        { name: 'scaled', op: 'Mul', input: ['x', 'positions'], attr: F },
        { name: 'out', op: 'Add', input: ['scaled', 'flags'], attr: F },
      ],
      output: 'out',
    },
  ],
  [
    'ExpandDims at -1, Squeeze, Reshape to a packed shape with -1, Transpose',
    {
      inputs: [input('x', [2, 3, 4])],
      constants: [ints('minus1', [-1], []), ints('two', [2], []), ints('perm', [1, 0])],
      nodes: [
        { name: 'expanded', op: 'ExpandDims', input: ['x', 'minus1'] },
        { name: 'squeezed', op: 'Squeeze', input: ['expanded'], attr: { squeeze_dims: attr.ints([3]) } },
        { name: 'shape', op: 'Pack', input: ['minus1', 'two'], attr: { axis: attr.i(0), N: attr.i(2) } },
        { name: 'reshaped', op: 'Reshape', input: ['squeezed', 'shape'] },
        { name: 'out', op: 'Transpose', input: ['reshaped', 'perm'] },
      ],
      output: 'out',
    },
  ],
  [
    'GatherV2 of a float table by int32 ids',
    {
      inputs: [{ name: 'ids', dtype: 'int32', shape: [2, 3], values: [0, 9, 4, 4, 1, 7] }],
      constants: [floats('table', [10, 4]), ints('axis', [0], [])],
      nodes: [{ name: 'out', op: 'GatherV2', input: ['table', 'ids', 'axis'] }],
      output: 'out',
    },
  ],
];

describe('TF op translations, against TF.js', () => {
  it.each(cases)('%s', async (_, graph) => {
    const { tfjs, onnx } = await bothWays(graph);
    expect(onnx.dims).toEqual(tfjs.dims);
    expect(onnx.values).toHaveLength(tfjs.values.length);
    onnx.values.forEach((v, i) => expect(v).toBeCloseTo(tfjs.values[i] ?? NaN, 5));
  });
});
