/**
 * @module
 * Building ONNX graphs by hand: tensors, nodes with typed attributes, value infos and whole models, encoded with
 * `onnx-proto`. Used to make the project's own models and tiny test models.
 */
import pkg from 'onnx-proto';
import onnx = pkg.onnx;
import { writeModel } from './model.ts';

const DataType = onnx.TensorProto.DataType;
const AttributeType = onnx.AttributeProto.AttributeType;

/** ONNX element types by the names this project uses. */
export const ELEM_TYPES = {
  float32: DataType.FLOAT,
  int64: DataType.INT64,
  int32: DataType.INT32,
  uint8: DataType.UINT8,
  int8: DataType.INT8,
  bool: DataType.BOOL,
} as const;
export type ElemType = keyof typeof ELEM_TYPES;

export type TensorData = Float32Array | BigInt64Array | Int32Array | Uint8Array | Int8Array;

function elemTypeOf(data: TensorData): ElemType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof BigInt64Array) return 'int64';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Int8Array) return 'int8';
  return 'uint8';
}

/**
 * A constant tensor stored as little-endian raw bytes. The element type follows the array; pass `elemType: 'bool'`
 * to store a `Uint8Array` of 0/1 as booleans.
 */
export function tensor(
  name: string,
  data: TensorData,
  dims: number[],
  elemType?: ElemType,
): onnx.ITensorProto {
  const count = dims.reduce((a, b) => a * b, 1);
  if (count !== data.length) {
    throw new Error(
      `tensor "${name}": dims [${dims.join(',')}] hold ${count} elements, data has ${data.length}`,
    );
  }
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  return { name, dataType: ELEM_TYPES[elemType ?? elemTypeOf(data)], dims, rawData: bytes };
}

/** Marks a number (or list) as FLOAT(S) even when its value is integral (`alpha: floatAttr(1)`). */
export class FloatAttr {
  constructor(readonly value: number | number[]) {}
}
export function floatAttr(value: number | number[]): FloatAttr {
  return new FloatAttr(value);
}

export type AttrValue = number | number[] | string | FloatAttr | onnx.ITensorProto;

/** Integers encode as INT/INTS, other numbers as FLOAT/FLOATS, strings as STRING, tensors as TENSOR. */
export function attribute(name: string, value: AttrValue): onnx.IAttributeProto {
  if (value instanceof FloatAttr) {
    const v = value.value;
    return Array.isArray(v)
      ? { name, type: AttributeType.FLOATS, floats: v }
      : { name, type: AttributeType.FLOAT, f: v };
  }
  if (typeof value === 'string')
    return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value) };
  if (typeof value === 'number') {
    return Number.isInteger(value)
      ? { name, type: AttributeType.INT, i: value }
      : { name, type: AttributeType.FLOAT, f: value };
  }
  if (Array.isArray(value)) {
    return value.every(Number.isInteger)
      ? { name, type: AttributeType.INTS, ints: value }
      : { name, type: AttributeType.FLOATS, floats: value };
  }
  return { name, type: AttributeType.TENSOR, t: value };
}

/** One graph node; the node name defaults to its first output so every node is named. */
export function node(
  opType: string,
  inputs: string[],
  outputs: string[],
  attributes: Record<string, AttrValue> = {},
  name?: string,
  domain?: string,
): onnx.INodeProto {
  return {
    opType,
    input: inputs,
    output: outputs,
    name: name ?? `${opType}_${outputs[0] ?? ''}`,
    attribute: Object.entries(attributes).map(([key, value]) => attribute(key, value)),
    ...(domain ? { domain } : {}),
  };
}

/** A graph input/output declaration; a string dimension is symbolic (e.g. `'N'` for the batch). */
export function valueInfo(name: string, elemType: ElemType, dims: (number | string)[]): onnx.IValueInfoProto {
  const dim = dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d }));
  return { name, type: { tensorType: { elemType: ELEM_TYPES[elemType], shape: { dim } } } };
}

export interface ModelSpec {
  name: string;
  inputs: onnx.IValueInfoProto[];
  outputs: onnx.IValueInfoProto[];
  nodes: onnx.INodeProto[];
  initializers?: onnx.ITensorProto[];
  /** Default opset of the standard domain: 13. */
  opset?: number;
  producer?: string;
}

/** IR version 8 (ONNX 1.10) is read by every onnxruntime this project supports. */
const IR_VERSION = 8;

/** Non-standard domains used by the nodes, imported at version 1. */
function extraDomains(nodes: onnx.INodeProto[]): onnx.IOperatorSetIdProto[] {
  const domains = new Set(nodes.map((n) => n.domain ?? '').filter((d) => d !== '' && d !== 'ai.onnx'));
  return [...domains].sort().map((domain) => ({ domain, version: 1 }));
}

/** Encodes a whole model; the same spec always gives the same bytes. */
export function buildModel(spec: ModelSpec): Uint8Array {
  return writeModel({
    irVersion: IR_VERSION,
    producerName: spec.producer ?? 'modalfuse',
    opsetImport: [{ domain: '', version: spec.opset ?? 13 }, ...extraDomains(spec.nodes)],
    graph: {
      name: spec.name,
      node: spec.nodes,
      input: spec.inputs,
      output: spec.outputs,
      initializer: spec.initializers ?? [],
    },
  });
}
