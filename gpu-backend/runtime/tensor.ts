/**
 * @module
 * Host-side tensors: a flat row-major array plus dims, in onnxruntime's element type names. `bytes` is this
 * backend's own type for KServe `BYTES` inputs (raw items for a preprocessor); onnxruntime's `string` type is
 * what models take and produce.
 */

export const ELEMENT_TYPES = [
  'bool',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'int8',
  'int16',
  'int32',
  'int64',
  'float16',
  'float32',
  'float64',
  'string',
  'bytes',
] as const;
export type ElementType = (typeof ELEMENT_TYPES)[number];

export interface ArrayOf {
  bool: Uint8Array;
  uint8: Uint8Array;
  uint16: Uint16Array;
  uint32: Uint32Array;
  uint64: BigUint64Array;
  int8: Int8Array;
  int16: Int16Array;
  int32: Int32Array;
  int64: BigInt64Array;
  /** IEEE 754 half-precision bit patterns, as onnxruntime stores them. */
  float16: Uint16Array;
  float32: Float32Array;
  float64: Float64Array;
  string: string[];
  bytes: Uint8Array[];
}
export type TensorData = ArrayOf[ElementType];

export interface HostTensor {
  readonly type: ElementType;
  readonly data: TensorData;
  readonly dims: readonly number[];
}

/** Named tensors: a model's feeds or its outputs. */
export type TensorMap = Record<string, HostTensor>;

export function isElementType(value: string): value is ElementType {
  return (ELEMENT_TYPES as readonly string[]).includes(value);
}

export function elementCount(dims: readonly number[]): number {
  return dims.reduce((product, dim) => product * dim, 1);
}

const ZERO_FILLED = {
  bool: (n: number) => new Uint8Array(n),
  uint8: (n: number) => new Uint8Array(n),
  uint16: (n: number) => new Uint16Array(n),
  uint32: (n: number) => new Uint32Array(n),
  uint64: (n: number) => new BigUint64Array(n),
  int8: (n: number) => new Int8Array(n),
  int16: (n: number) => new Int16Array(n),
  int32: (n: number) => new Int32Array(n),
  int64: (n: number) => new BigInt64Array(n),
  float16: (n: number) => new Uint16Array(n),
  float32: (n: number) => new Float32Array(n),
  float64: (n: number) => new Float64Array(n),
  string: (n: number) => Array.from({ length: n }, () => ''),
  bytes: (n: number) => Array.from({ length: n }, () => new Uint8Array(0)),
} as const satisfies { [T in ElementType]: (n: number) => ArrayOf[T] };

/** A tensor of zeros (empty strings for `string`/`bytes`): the padding value of every type. */
export function zeros(type: ElementType, dims: readonly number[]): HostTensor {
  return { type, data: ZERO_FILLED[type](elementCount(dims)), dims: [...dims] };
}

/** Copies `length` elements between two arrays of the same element type. */
export function copyElements(
  source: TensorData,
  sourceStart: number,
  target: TensorData,
  targetStart: number,
  length: number,
): void {
  if (ArrayBuffer.isView(source) && ArrayBuffer.isView(target)) {
    const view = source.subarray(sourceStart, sourceStart + length);
    (target as { set(values: typeof view, offset: number): void }).set(view, targetStart);
    return;
  }
  const from = source as unknown[];
  const to = target as unknown[];
  for (let i = 0; i < length; i++) to[targetStart + i] = from[sourceStart + i];
}

/** The distinct `ArrayBuffer`s under the typed arrays of `tensors` (what a `postMessage` can move). */
export function buffersOf(tensors: TensorMap): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const tensor of Object.values(tensors)) {
    const data = tensor.data;
    if (ArrayBuffer.isView(data) && data.buffer instanceof ArrayBuffer) buffers.add(data.buffer);
  }
  return [...buffers];
}
