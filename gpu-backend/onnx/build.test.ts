/**
 * @module
 * The graph toolkit against the real onnxruntime: built models load and compute the expected numbers.
 */
import * as ort from 'onnxruntime-node';
import pkg from 'onnx-proto';
import onnx = pkg.onnx;
import { describe, expect, it } from 'vitest';
import { attribute, buildModel, floatAttr, node, tensor, valueInfo } from './build.ts';
import { findInitializer, readModel, tensorDims, tensorNumbers, writeModel } from './model.ts';

const AttributeType = onnx.AttributeProto.AttributeType;

async function run(
  bytes: Uint8Array,
  feeds: Record<string, ort.Tensor>,
): Promise<ort.InferenceSession.OnnxValueMapType> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}

describe('buildModel', () => {
  it('computes Add and MatMul with an initializer and a symbolic batch', async () => {
    const bytes = buildModel({
      name: 'affine',
      inputs: [valueInfo('x', 'float32', ['N', 2])],
      outputs: [valueInfo('y', 'float32', ['N', 3])],
      initializers: [
        tensor('w', new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]),
        tensor('b', new Float32Array([0.5, 0, -1]), [3]),
      ],
      nodes: [node('MatMul', ['x', 'w'], ['xw']), node('Add', ['xw', 'b'], ['y'])],
    });
    const out = await run(bytes, { x: new ort.Tensor('float32', new Float32Array([1, 1, 2, 0]), [2, 2]) });
    expect(out.y?.dims).toEqual([2, 3]);
    expect(Array.from(out.y?.data as Float32Array)).toEqual([5.5, 7, 8, 2.5, 4, 5]);
  });

  it('gathers int64 ids and reduces with integer attributes', async () => {
    const bytes = buildModel({
      name: 'bag',
      inputs: [valueInfo('ids', 'int64', ['N', 'L'])],
      outputs: [valueInfo('sum', 'float32', ['N', 2])],
      initializers: [
        tensor('table', new Float32Array([0, 0, 1, 10, 2, 20, 3, 30]), [4, 2]),
        tensor('axes', new BigInt64Array([1n]), [1]),
      ],
      nodes: [
        node('Gather', ['table', 'ids'], ['rows'], { axis: 0 }),
        node('ReduceSum', ['rows', 'axes'], ['sum'], { keepdims: 0 }),
      ],
    });
    const ids = new ort.Tensor('int64', new BigInt64Array([1n, 2n, 0n, 3n, 3n, 3n]), [2, 3]);
    const out = await run(bytes, { ids });
    expect(Array.from(out.sum?.data as Float32Array)).toEqual([3, 30, 9, 90]);
  });

  it('encodes FLOAT attributes for non-integers and for floatAttr', async () => {
    const bytes = buildModel({
      name: 'leaky',
      inputs: [valueInfo('x', 'float32', [3])],
      outputs: [valueInfo('y', 'float32', [3]), valueInfo('z', 'float32', [3])],
      nodes: [
        node('LeakyRelu', ['x'], ['y'], { alpha: 0.5 }),
        node('LeakyRelu', ['x'], ['z'], { alpha: floatAttr(2) }),
      ],
    });
    const out = await run(bytes, { x: new ort.Tensor('float32', new Float32Array([-2, 0, 3]), [3]) });
    expect(Array.from(out.y?.data as Float32Array)).toEqual([-1, 0, 3]);
    expect(Array.from(out.z?.data as Float32Array)).toEqual([-4, 0, 3]);
  });

  it('builds a Constant node from a TENSOR attribute and a bool tensor', async () => {
    const bytes = buildModel({
      name: 'where',
      inputs: [valueInfo('x', 'float32', [3])],
      outputs: [valueInfo('y', 'float32', [3])],
      nodes: [
        node('Constant', [], ['mask'], { value: tensor('mask', new Uint8Array([1, 0, 1]), [3], 'bool') }),
        node('Constant', [], ['zero'], { value: tensor('zero', new Float32Array([0]), []) }),
        node('Where', ['mask', 'x', 'zero'], ['y']),
      ],
    });
    const out = await run(bytes, { x: new ort.Tensor('float32', new Float32Array([1, 2, 3]), [3]) });
    expect(Array.from(out.y?.data as Float32Array)).toEqual([1, 0, 3]);
  });

  it('is deterministic and round-trips through readModel/writeModel', () => {
    const spec = {
      name: 'id',
      inputs: [valueInfo('x', 'int32', [2])],
      outputs: [valueInfo('y', 'int32', [2])],
      initializers: [tensor('k', new Int32Array([7, -8]), [2])],
      nodes: [node('Add', ['x', 'k'], ['y'])],
    };
    const bytes = buildModel(spec);
    expect(buildModel(spec)).toEqual(bytes);
    const model = readModel(bytes);
    expect(Number(model.opsetImport[0]?.version)).toBe(13);
    const k = findInitializer(model.graph as onnx.IGraphProto, 'k');
    expect(tensorNumbers(k)).toEqual([7, -8]);
    expect(tensorDims(k)).toEqual([2]);
    expect(writeModel(model)).toEqual(bytes);
  });
});

describe('attribute encoding', () => {
  it('chooses INT/INTS/FLOAT/FLOATS/STRING/TENSOR by value', () => {
    expect(attribute('a', 3).type).toBe(AttributeType.INT);
    expect(attribute('a', [1, 2]).type).toBe(AttributeType.INTS);
    expect(attribute('a', 1.5).type).toBe(AttributeType.FLOAT);
    expect(attribute('a', [1, 2.5]).type).toBe(AttributeType.FLOATS);
    expect(attribute('a', floatAttr([1, 2])).type).toBe(AttributeType.FLOATS);
    expect(attribute('a', 'NOTSET').type).toBe(AttributeType.STRING);
    expect(attribute('a', tensor('t', new Int8Array([1]), [1])).type).toBe(AttributeType.TENSOR);
  });

  it('rejects a tensor whose dims do not match its data', () => {
    expect(() => tensor('t', new Float32Array(5), [2, 3])).toThrow(
      /dims \[2,3\] hold 6 elements, data has 5/,
    );
  });

  it('names the missing initializer and what exists', () => {
    const model = readModel(
      buildModel({
        name: 'g',
        inputs: [],
        outputs: [],
        nodes: [],
        initializers: [tensor('w', new Uint8Array([1]), [1])],
      }),
    );
    expect(() => findInitializer(model.graph as onnx.IGraphProto, 'nope')).toThrow(
      /no initializer "nope".*w/,
    );
  });
});
