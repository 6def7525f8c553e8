/**
 * @module
 * The JSON tensor codec of the Open Inference Protocol: request tensors (flat or nested `data`, row-major) into
 * host tensors, checked element by element against their datatype; host tensors back into response tensors.
 * 64-bit integers travel as JSON numbers, so they must stay within ±2^53 to be exact.
 */
import type { Datatype, RequestInput, ResponseOutput } from '../protocol/types.ts';
import { DATATYPE_OF, ELEMENT_OF } from '../runtime/datatypes.ts';
import { badRequest } from '../runtime/errors.ts';
import { elementCount, type ArrayOf, type HostTensor, type TensorData } from '../runtime/tensor.ts';

type Value = RequestInput['data'][number];

/** Inclusive integer ranges; 64-bit types are limited to what a JSON number holds exactly. */
const INTEGER_RANGES = {
  INT8: [-(2 ** 7), 2 ** 7 - 1],
  INT16: [-(2 ** 15), 2 ** 15 - 1],
  INT32: [-(2 ** 31), 2 ** 31 - 1],
  INT64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  UINT8: [0, 2 ** 8 - 1],
  UINT16: [0, 2 ** 16 - 1],
  UINT32: [0, 2 ** 32 - 1],
  UINT64: [0, Number.MAX_SAFE_INTEGER],
} as const satisfies Partial<Record<Datatype, readonly [number, number]>>;
type IntegerType = keyof typeof INTEGER_RANGES;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const CONTENT_TYPES = ['base64', 'str'] as const;

/** Beyond this rank a request is refused before its nested `data` is walked. */
const MAX_RANK = 32;

class ElementError extends Error {}

/** A value for an error message; never serialises a (possibly huge or deep) array or object. */
function show(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function integers(datatype: IntegerType, values: readonly Value[]): number[] {
  const [min, max] = INTEGER_RANGES[datatype];
  return values.map((value) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new ElementError(`must be an integer in [${min}, ${max}], got ${show(value)}`);
    }
    return value;
  });
}

function numbers(values: readonly Value[]): number[] {
  return values.map((value) => {
    if (typeof value !== 'number') throw new ElementError(`must be a number, got ${show(value)}`);
    return value;
  });
}

function bytesOf(values: readonly Value[], contentType: string | undefined): Uint8Array[] {
  const encoder = new TextEncoder();
  return values.map((value) => {
    if (typeof value !== 'string') throw new ElementError(`must be a string, got ${show(value)}`);
    if (contentType !== 'base64') return encoder.encode(value);
    if (!BASE64.test(value)) throw new ElementError('is not valid base64');
    return new Uint8Array(Buffer.from(value, 'base64'));
  });
}

function decodeData(datatype: Datatype, values: readonly Value[], contentType?: string): TensorData {
  switch (datatype) {
    case 'BOOL':
      return Uint8Array.from(values, (value) => {
        if (typeof value !== 'boolean') throw new ElementError(`must be true or false, got ${show(value)}`);
        return value ? 1 : 0;
      });
    case 'INT8':
      return Int8Array.from(integers(datatype, values));
    case 'INT16':
      return Int16Array.from(integers(datatype, values));
    case 'INT32':
      return Int32Array.from(integers(datatype, values));
    case 'INT64':
      return BigInt64Array.from(integers(datatype, values), BigInt);
    case 'UINT8':
      return Uint8Array.from(integers(datatype, values));
    case 'UINT16':
      return Uint16Array.from(integers(datatype, values));
    case 'UINT32':
      return Uint32Array.from(integers(datatype, values));
    case 'UINT64':
      return BigUint64Array.from(integers(datatype, values), BigInt);
    case 'FP16':
      // onnxruntime holds FP16 as uint16 bit patterns; Float16Array rounds to nearest, ties to even.
      return new Uint16Array(Float16Array.from(numbers(values)).buffer);
    case 'FP32':
      return Float32Array.from(numbers(values));
    case 'FP64':
      return Float64Array.from(numbers(values));
    case 'BYTES':
      return bytesOf(values, contentType);
  }
}

/** Finds the first element that fails, for an error message that points at it. */
function failingIndex(input: RequestInput, values: readonly Value[], contentType?: string): number {
  return values.findIndex((value) => {
    try {
      decodeData(input.datatype, [value], contentType);
      return false;
    } catch {
      return true;
    }
  });
}

/** Decodes one request tensor; `data` may be flat or nested as the shape. */
export function decodeInput(input: RequestInput): HostTensor {
  if (input.shape.length > MAX_RANK) {
    throw badRequest(`input "${input.name}": ${input.shape.length} dimensions (at most ${MAX_RANK})`);
  }
  // Nested data follows the shape, so it is never deeper than the rank; deeper arrays fail as elements.
  const values = (input.data as unknown[]).flat(Math.max(input.shape.length - 1, 0)) as Value[];
  const count = elementCount(input.shape);
  if (values.length !== count) {
    throw badRequest(
      `input "${input.name}": shape [${input.shape.join(',')}] holds ${count} elements, data has ${values.length}`,
    );
  }
  const contentType = input.parameters?.content_type;
  if (contentType !== undefined && !(CONTENT_TYPES as readonly unknown[]).includes(contentType)) {
    throw badRequest(`input "${input.name}": content_type must be one of ${CONTENT_TYPES.join(', ')}`);
  }
  try {
    const data = decodeData(input.datatype, values, contentType as string | undefined);
    return { type: ELEMENT_OF[input.datatype], data, dims: [...input.shape] };
  } catch (error) {
    if (!(error instanceof ElementError)) throw error;
    const index = failingIndex(input, values, contentType as string | undefined);
    throw badRequest(`input "${input.name}" (${input.datatype}): element ${index} ${error.message}`);
  }
}

function encodeData(tensor: HostTensor): ResponseOutput['data'] {
  switch (tensor.type) {
    case 'bool':
      return Array.from(tensor.data as ArrayOf['bool'], (value) => value !== 0);
    case 'int64':
    case 'uint64':
      return Array.from(tensor.data as ArrayOf['int64'], Number);
    case 'float16': {
      const bits = tensor.data as ArrayOf['float16'];
      return Array.from(new Float16Array(bits.buffer, bits.byteOffset, bits.length));
    }
    case 'string':
      return [...(tensor.data as ArrayOf['string'])];
    case 'bytes': {
      const decoder = new TextDecoder();
      return (tensor.data as ArrayOf['bytes']).map((bytes) => decoder.decode(bytes));
    }
    default:
      return Array.from(tensor.data as ArrayOf['float32']);
  }
}

/** Encodes one output tensor (row-major, flat). */
export function encodeOutput(name: string, tensor: HostTensor): ResponseOutput {
  return { name, datatype: DATATYPE_OF[tensor.type], shape: [...tensor.dims], data: encodeData(tensor) };
}
