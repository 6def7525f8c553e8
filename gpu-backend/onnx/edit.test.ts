/**
 * @module
 * Graph surgery helpers: prefixing keeps a copied graph runnable under new names, wires renamed tensors, leaves
 * omitted optional inputs empty, and refuses subgraphs; node and attribute lookups report what they found.
 */
import pkg from 'onnx-proto';
import onnx = pkg.onnx;
import { describe, expect, it } from 'vitest';
import { buildModel, node, tensor, valueInfo } from './build.ts';
import { intsAttr, onlyNode, prefixGraph } from './edit.ts';
import { readModel } from './model.ts';

const graph: onnx.IGraphProto = {
  name: 'g',
  node: [node('Add', ['x', 'k'], ['y']), node('Clip', ['y', '', 'hi'], ['z'])],
  initializer: [tensor('k', new Float32Array([1]), [1]), tensor('hi', new Float32Array([2]), [])],
};

describe('prefixGraph', () => {
  it('prefixes nodes, tensors and initializers except renamed ones', () => {
    const copy = prefixGraph(graph, 'a/', { x: 'input' });
    expect(copy.nodes.map((n) => [n.name, n.input, n.output])).toEqual([
      ['a/Add_y', ['input', 'a/k'], ['a/y']],
      ['a/Clip_z', ['a/y', '', 'a/hi'], ['a/z']],
    ]);
    expect(copy.initializers.map((t) => t.name)).toEqual(['a/k', 'a/hi']);
    expect(copy.name('z')).toBe('a/z');
    expect(graph.node?.[0]?.input).toEqual(['x', 'k']);
  });

  it('refuses nodes with subgraphs', () => {
    const withIf = {
      name: 'g',
      node: [{ opType: 'If', name: 'branch', attribute: [{ name: 'then_branch', g: {} }] }],
    };
    expect(() => prefixGraph(withIf, 'p/')).toThrow(/node "branch" \(If\) has a subgraph/);
  });
});

describe('node lookups', () => {
  const model = readModel(
    buildModel({
      name: 'pool',
      inputs: [valueInfo('x', 'float32', [1, 1, 4, 4])],
      outputs: [valueInfo('y', 'float32', [1, 1, 2, 2]), valueInfo('z', 'float32', [1, 1, 4, 4])],
      nodes: [
        node('MaxPool', ['x'], ['y'], { kernel_shape: [2, 2], strides: [2, 2] }),
        node('Relu', ['x'], ['z']),
      ],
    }),
  );
  const g = model.graph as onnx.IGraphProto;

  it('finds the single node of a type, or says how many there are', () => {
    expect(onlyNode(g, 'MaxPool').name).toBe('MaxPool_y');
    expect(() => onlyNode(g, 'Conv')).toThrow('expected exactly one Conv node in graph "pool", found 0');
  });

  it('reads integer attributes with a fallback', () => {
    const pool = onlyNode(g, 'MaxPool');
    expect(intsAttr(pool, 'kernel_shape', [])).toEqual([2, 2]);
    expect(intsAttr(pool, 'dilations', [1, 1])).toEqual([1, 1]);
  });
});
