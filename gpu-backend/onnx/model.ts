/**
 * @module
 * Reading and writing ONNX model bytes, and turning stored tensors back into typed arrays, so that graph edits can
 * look up constants (scales, zero points, shapes) of a pretrained model.
 */
import pkg from 'onnx-proto';
import onnx = pkg.onnx;

/** Decodes an ONNX file's bytes. */
export function readModel(bytes: Uint8Array): onnx.ModelProto {
  return onnx.ModelProto.decode(bytes);
}

/** Encodes a model into ONNX file bytes (a fresh array, not a view into a shared pool). */
export function writeModel(model: onnx.IModelProto): Uint8Array {
  return Uint8Array.from(onnx.ModelProto.encode(model).finish());
}

export type TensorArray = Float32Array | BigInt64Array | Int32Array | Uint8Array | Int8Array;

const DataType = onnx.TensorProto.DataType;

/** Typed-array constructors by ONNX data type; `bool` is stored as one byte per element. */
const ARRAY_OF = {
  [DataType.FLOAT]: Float32Array,
  [DataType.INT64]: BigInt64Array,
  [DataType.INT32]: Int32Array,
  [DataType.UINT8]: Uint8Array,
  [DataType.INT8]: Int8Array,
  [DataType.BOOL]: Uint8Array,
} as const;

function arrayType(dataType: number): (typeof ARRAY_OF)[keyof typeof ARRAY_OF] {
  const ctor = (ARRAY_OF as Record<number, (typeof ARRAY_OF)[keyof typeof ARRAY_OF] | undefined>)[dataType];
  if (!ctor) {
    const known = Object.keys(ARRAY_OF).map((key) => DataType[Number(key)]);
    throw new Error(
      `unsupported tensor data type ${DataType[dataType] ?? dataType} (supported: ${known.join(', ')})`,
    );
  }
  return ctor;
}

/** The values of a stored tensor (raw bytes or the typed repeated fields), in a typed array of its own. */
export function tensorValues(t: onnx.ITensorProto): TensorArray {
  const ctor = arrayType(t.dataType ?? 0);
  if (t.rawData && t.rawData.length > 0) {
    const raw = Uint8Array.from(t.rawData);
    return new ctor(raw.buffer, 0, raw.byteLength / ctor.BYTES_PER_ELEMENT);
  }
  if (ctor === Float32Array) return Float32Array.from(t.floatData ?? []);
  if (ctor === BigInt64Array) return BigInt64Array.from((t.int64Data ?? []).map((v) => BigInt(v.toString())));
  const ints = (t.int32Data ?? []).map(Number);
  if (ctor === Int32Array) return Int32Array.from(ints);
  return ctor === Int8Array ? Int8Array.from(ints) : Uint8Array.from(ints);
}

/** A stored tensor's values as plain numbers (int64 values beyond 2^53 lose precision). */
export function tensorNumbers(t: onnx.ITensorProto): number[] {
  return Array.from(tensorValues(t) as ArrayLike<number | bigint>, Number);
}

/** A tensor's dimensions as plain numbers (int64 fields decode as `Long`). */
export function tensorDims(t: onnx.ITensorProto): number[] {
  return (t.dims ?? []).map(Number);
}

/** The initializer of that name in a graph; the error lists what the graph has. */
export function findInitializer(graph: onnx.IGraphProto, name: string): onnx.ITensorProto {
  const found = graph.initializer?.find((t) => t.name === name);
  if (found) return found;
  const names = (graph.initializer ?? []).map((t) => t.name);
  throw new Error(
    `no initializer "${name}" in graph "${graph.name}" (it has ${names.length}: ${names.slice(0, 20).join(', ')}…)`,
  );
}
