/**
 * @module
 * Triton's binary tensor data extension: a body that is a JSON header of `Inference-Header-Content-Length`
 * bytes followed by raw tensors, each input with a `binary_data_size` parameter taking its bytes in order.
 * Tensors are little-endian, row-major, unpadded; BOOL is one byte; each BYTES element is a 4-byte
 * little-endian length followed by its bytes. Outputs go back the same way when asked for (`binary_data` on an
 * output, or `binary_data_output` on the request).
 */
import type { Datatype } from '../protocol/types.ts';
import { ELEMENT_OF } from '../runtime/datatypes.ts';
import { badRequest } from '../runtime/errors.ts';
import { elementCount, type ArrayOf, type HostTensor, type TensorData } from '../runtime/tensor.ts';

export const HEADER_LENGTH = 'Inference-Header-Content-Length';

/** Bytes per element of the fixed-size datatypes. */
const WIDTH: Readonly<Record<Exclude<Datatype, 'BYTES'>, number>> = {
  BOOL: 1,
  UINT8: 1,
  INT8: 1,
  UINT16: 2,
  INT16: 2,
  FP16: 2,
  UINT32: 4,
  INT32: 4,
  FP32: 4,
  UINT64: 8,
  INT64: 8,
  FP64: 8,
};

const ARRAY_OF = {
  BOOL: Uint8Array,
  UINT8: Uint8Array,
  INT8: Int8Array,
  UINT16: Uint16Array,
  INT16: Int16Array,
  FP16: Uint16Array,
  UINT32: Uint32Array,
  INT32: Int32Array,
  FP32: Float32Array,
  UINT64: BigUint64Array,
  INT64: BigInt64Array,
  FP64: Float64Array,
} as const;

/** Splits a body into its JSON text and the binary tail, per the header (absent: all JSON). */
export function splitBody(body: Uint8Array, header: string | undefined): { json: string; tail: Uint8Array } {
  const decoder = new TextDecoder();
  if (header === undefined) return { json: decoder.decode(body), tail: new Uint8Array(0) };
  const length = Number(header);
  if (!/^\d+$/.test(header.trim()) || length > body.byteLength) {
    throw badRequest(
      `${HEADER_LENGTH} must be a byte count within the body (${body.byteLength} bytes), got "${header}"`,
    );
  }
  return { json: decoder.decode(body.subarray(0, length)), tail: body.subarray(length) };
}

function decodeBytes(name: string, bytes: Uint8Array, count: number): Uint8Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const items: Uint8Array[] = [];
  let offset = 0;
  while (offset < bytes.byteLength) {
    if (offset + 4 > bytes.byteLength)
      throw badRequest(`input "${name}": BYTES element ${items.length} is cut short`);
    const length = view.getUint32(offset, true);
    offset += 4;
    if (offset + length > bytes.byteLength) {
      throw badRequest(`input "${name}": BYTES element ${items.length} claims ${length} bytes past the end`);
    }
    items.push(bytes.slice(offset, offset + length));
    offset += length;
  }
  if (items.length !== count) {
    throw badRequest(`input "${name}": shape holds ${count} elements, binary data has ${items.length}`);
  }
  return items;
}

/** Decodes one input's raw bytes into a host tensor of `shape`. */
export function decodeBinary(
  name: string,
  datatype: Datatype,
  shape: number[],
  bytes: Uint8Array,
): HostTensor {
  const count = elementCount(shape);
  if (datatype === 'BYTES') return { type: 'bytes', data: decodeBytes(name, bytes, count), dims: [...shape] };
  const expected = count * WIDTH[datatype];
  if (bytes.byteLength !== expected) {
    throw badRequest(
      `input "${name}": shape [${shape.join(',')}] of ${datatype} needs ${expected} bytes, got ${bytes.byteLength}`,
    );
  }
  // A view when the bytes sit aligned for the type (the body reader arranges it), else an aligned copy.
  const aligned = bytes.buffer instanceof ArrayBuffer && bytes.byteOffset % WIDTH[datatype] === 0;
  const buffer = aligned ? (bytes.buffer as ArrayBuffer) : bytes.slice().buffer;
  const data = new ARRAY_OF[datatype](buffer, aligned ? bytes.byteOffset : 0, count) as TensorData;
  return { type: ELEMENT_OF[datatype], data, dims: [...shape] };
}

/** The raw bytes of an output tensor. */
export function encodeBinary(tensor: HostTensor): Uint8Array {
  if (tensor.type === 'string' || tensor.type === 'bytes') {
    const encoder = new TextEncoder();
    const items = (tensor.data as ArrayOf['string'] | ArrayOf['bytes']).map((item) =>
      typeof item === 'string' ? encoder.encode(item) : item,
    );
    const out = new Uint8Array(items.reduce((sum, item) => sum + 4 + item.byteLength, 0));
    const view = new DataView(out.buffer);
    let offset = 0;
    for (const item of items) {
      view.setUint32(offset, item.byteLength, true);
      out.set(item, offset + 4);
      offset += 4 + item.byteLength;
    }
    return out;
  }
  const data = tensor.data as Exclude<TensorData, unknown[]>;
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
}

/** A JSON header followed by binary chunks, as one body. */
export function joinBody(
  json: string,
  chunks: readonly Uint8Array[],
): { body: Uint8Array<ArrayBuffer>; headerLength: number } {
  const header = new TextEncoder().encode(json);
  const body = new Uint8Array(header.byteLength + chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0));
  body.set(header, 0);
  let offset = header.byteLength;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { body, headerLength: header.byteLength };
}
