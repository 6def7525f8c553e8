/**
 * @module
 * What an op translation sees of the TF node it translates: its inputs and outputs as ONNX tensor names, its
 * attributes, the values of constant inputs (axes, permutations, slice bounds), and a way to add ONNX nodes and
 * int64 initializers. TF tensor names are kept as ONNX names (`node` for output 0, `node:1` for the next), so a
 * converted graph can be read beside the original. Every TF integer tensor becomes int64 in ONNX: shapes, axes and
 * indices are int64 there, so int32 shape arithmetic maps with no casts.
 */
import pkg from 'onnx-proto';
import onnx = pkg.onnx;
import { node, tensor, type AttrValue } from '../onnx/build.ts';
import type { TfAttr, TfConstant, TfGraph, TfNode } from './graph-model.ts';

const DataType = onnx.TensorProto.DataType;

/** TF `DataType` (number or `DT_*` name) → the ONNX type its values get in the converted graph. */
export function onnxTypeOf(tfType: string | number | undefined): number {
  switch (tfType) {
    case 1:
    case 'DT_FLOAT':
      return DataType.FLOAT;
    case 3:
    case 9:
    case 'DT_INT32':
    case 'DT_INT64':
      return DataType.INT64;
    case 10:
    case 'DT_BOOL':
      return DataType.BOOL;
    default:
      throw new Error(`TF data type ${String(tfType)} is not supported`);
  }
}

/** The TF name of a node's output: `name` for the first, `name:i` after; `name:0` is the same tensor as `name`. */
export function tensorName(input: string): string {
  return input.endsWith(':0') ? input.slice(0, -2) : input;
}

/** The node that produces a TF tensor (`node:1` → `node`). */
export function producerOf(input: string): string {
  const colon = input.lastIndexOf(':');
  return colon > 0 && /^\d+$/.test(input.slice(colon + 1)) ? input.slice(0, colon) : input;
}

/** Ops whose output has the rank of their first input. */
const RANK_KEEPING = new Set(['Identity', 'Cast', 'Relu', 'Tanh', 'Softmax', 'Square', 'Rsqrt', 'BiasAdd']);
/** Broadcasting ops: the output has the largest rank of their inputs. */
const RANK_BROADCASTING = new Set([
  'Add',
  'AddV2',
  'Sub',
  'Mul',
  'RealDiv',
  'Maximum',
  'BatchMatMul',
  'BatchMatMulV2',
]);

/** The graph being written: ONNX nodes in order, extra initializers, and fresh names for intermediate tensors. */
export class OnnxWriter {
  readonly nodes: onnx.INodeProto[] = [];
  readonly initializers: onnx.ITensorProto[] = [];
  private count = 0;
  private readonly byName: ReadonlyMap<string, TfNode>;

  constructor(readonly graph: TfGraph) {
    this.byName = new Map(graph.nodes.map((n) => [n.name, n]));
  }

  /**
   * A TF tensor's rank where the graph fixes it (constants, placeholders of known rank, transposes, reshapes to a
   * stacked shape and ops that keep or broadcast ranks); undefined otherwise. Lets a translation pick a rank-specific ONNX form.
   */
  rankOf(input: string): number | undefined {
    const n = this.byName.get(producerOf(tensorName(input)));
    if (!n) return undefined;
    const data = n.input.filter((i) => !i.startsWith('^'));
    if (n.op === 'Const') return this.graph.constants.get(n.name)?.shape.length;
    if (n.op === 'Placeholder') {
      const shape = n.attr.shape?.shape;
      return shape?.unknownRank ? undefined : shape?.dim?.length;
    }
    if (n.op === 'Transpose') return this.constant(data[1] ?? '')?.values.length;
    if (n.op === 'ExpandDims') return plusOne(this.rankOf(data[0] ?? ''));
    if (n.op === 'Reshape') {
      const shape = this.byName.get(producerOf(data[1] ?? ''));
      if (shape?.op === 'Pack') return shape.input.length;
      return shape?.op === 'Const' ? this.constant(shape.name)?.values.length : undefined;
    }
    if (RANK_KEEPING.has(n.op)) return this.rankOf(data[0] ?? '');
    if (!RANK_BROADCASTING.has(n.op)) return undefined;
    const ranks = data.map((i) => this.rankOf(i));
    return ranks.every((r) => r !== undefined) ? Math.max(...(ranks as number[])) : undefined;
  }

  add(op: string, inputs: string[], outputs: string[], attrs: Record<string, AttrValue> = {}): void {
    this.nodes.push(node(op, inputs, outputs, attrs, `${outputs[0] ?? op}/${op}`));
  }

  /** A name no TF tensor has, for a tensor between the ONNX nodes of one TF node. */
  temp(base: string): string {
    this.count += 1;
    return `${base}/onnx.${this.count}`;
  }

  /** A new int64 initializer (scalar when `dims` is `[]`); returns its name. */
  int64(base: string, values: readonly (number | bigint)[], dims: number[] = [values.length]): string {
    const name = this.temp(base);
    this.initializers.push(
      tensor(
        name,
        BigInt64Array.from(values, (v) => BigInt(v)),
        dims,
      ),
    );
    return name;
  }

  /** A new float32 initializer; returns its name. */
  float32(base: string, values: Float32Array, dims: number[]): string {
    const name = this.temp(base);
    this.initializers.push(tensor(name, values, dims));
    return name;
  }

  constant(tfInput: string): TfConstant | undefined {
    return this.graph.constants.get(producerOf(tfInput));
  }
}

function plusOne(rank: number | undefined): number | undefined {
  return rank === undefined ? undefined : rank + 1;
}

/** One TF node under translation. */
export class NodeContext {
  constructor(
    readonly node: TfNode,
    readonly writer: OnnxWriter,
  ) {}

  /** The data inputs (control inputs `^name` are dropped: ONNX runs by data dependence alone). */
  get inputs(): string[] {
    return this.node.input.filter((input) => !input.startsWith('^')).map(tensorName);
  }

  input(index: number): string {
    const found = this.inputs[index];
    if (found === undefined) throw this.error(`has no input ${index}`);
    return found;
  }

  output(index = 0): string {
    return index === 0 ? this.node.name : `${this.node.name}:${index}`;
  }

  /** The integer values of a constant input (an axis, a permutation, slice bounds). */
  ints(index: number): number[] {
    const found = this.writer.constant(this.input(index));
    if (!found || found.dtype !== 'int32') throw this.error(`needs a constant int input ${index}`);
    return Array.from(found.values);
  }

  attr(name: string): TfAttr | undefined {
    return this.node.attr[name];
  }

  int(name: string, fallback: number): number {
    const value = this.attr(name)?.i;
    return value === undefined ? fallback : Number(value);
  }

  bool(name: string): boolean {
    return this.attr(name)?.b === true;
  }

  intList(name: string): number[] {
    return (this.attr(name)?.list?.i ?? []).map(Number);
  }

  /** A string attribute: TF.js JSON holds its bytes base64-encoded or as an array of byte values. */
  string(name: string): string | undefined {
    const value = this.attr(name)?.s;
    if (value === undefined) return undefined;
    return (typeof value === 'string' ? Buffer.from(value, 'base64') : Buffer.from(value)).toString('utf8');
  }

  emit(op: string, inputs: string[], outputs: string[], attrs: Record<string, AttrValue> = {}): void {
    this.writer.add(op, inputs, outputs, attrs);
  }

  temp(): string {
    return this.writer.temp(this.node.name);
  }

  int64(values: readonly (number | bigint)[], dims?: number[]): string {
    return this.writer.int64(this.node.name, values, dims);
  }

  error(message: string): Error {
    return new Error(`TF ${this.node.op} "${this.node.name}" ${message}`);
  }
}
