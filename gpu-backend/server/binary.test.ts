import { describe, expect, it } from 'vitest';
import { isStatusError } from '../runtime/errors.ts';
import { decodeBinary, encodeBinary, joinBody, splitBody } from './binary.ts';
import { decodeInputs } from './request.ts';

const le32 = (n: number) => new Uint8Array(Uint32Array.of(n).buffer);
const utf8 = (text: string) => new TextEncoder().encode(text);
const cat = (...parts: Uint8Array[]) => joinBody('', parts).body;

function status(action: () => unknown): number | undefined {
  try {
    action();
  } catch (error) {
    return isStatusError(error) ? error.status : -1;
  }
  return undefined;
}

describe('binary tensor data', () => {
  it('decodes every fixed-size datatype little-endian, even at an unaligned offset', () => {
    const values = Float32Array.of(1.5, -2, 3.25);
    const body = cat(new Uint8Array(1), new Uint8Array(values.buffer)).subarray(1);
    expect(decodeBinary('x', 'FP32', [1, 3], body)).toEqual({ type: 'float32', data: values, dims: [1, 3] });
    const ids = BigInt64Array.of(-1n, 2n ** 40n);
    expect(decodeBinary('i', 'INT64', [2], new Uint8Array(ids.buffer)).data).toEqual(ids);
    expect(decodeBinary('b', 'BOOL', [2], Uint8Array.of(1, 0)).type).toBe('bool');
    expect(decodeBinary('h', 'FP16', [1], Uint8Array.of(0x00, 0x3c)).data).toEqual(Uint16Array.of(0x3c00));
  });

  it('BYTES: a 4-byte little-endian length before each element, both ways', () => {
    const bytes = cat(le32(2), utf8('hi'), le32(0), le32(3), utf8('añ'));
    const tensor = decodeBinary('s', 'BYTES', [3], bytes);
    expect(tensor.data).toEqual([utf8('hi'), new Uint8Array(0), utf8('añ')]);
    expect(encodeBinary(tensor)).toEqual(bytes);
    expect(encodeBinary({ type: 'string', data: ['hi', '', 'añ'], dims: [3] })).toEqual(bytes);
  });

  it('encodes numeric outputs as their raw bytes', () => {
    const data = Float32Array.of(1, 2);
    expect(encodeBinary({ type: 'float32', data, dims: [2] })).toEqual(new Uint8Array(data.buffer));
  });

  it('refuses sizes that do not match the shape, and cut-short BYTES, with 400', () => {
    expect(status(() => decodeBinary('x', 'FP32', [2], new Uint8Array(7)))).toBe(400);
    expect(status(() => decodeBinary('s', 'BYTES', [1], cat(le32(5), utf8('abc'))))).toBe(400);
    expect(status(() => decodeBinary('s', 'BYTES', [1], Uint8Array.of(1, 0)))).toBe(400);
    expect(status(() => decodeBinary('s', 'BYTES', [2], cat(le32(1), utf8('a'))))).toBe(400);
  });

  it('splits the body at Inference-Header-Content-Length', () => {
    const { body, headerLength } = joinBody('{"a":1}', [Uint8Array.of(9, 8)]);
    expect(headerLength).toBe(7);
    expect(splitBody(body, '7')).toEqual({ json: '{"a":1}', tail: Uint8Array.of(9, 8) });
    expect(splitBody(utf8('{}'), undefined)).toEqual({ json: '{}', tail: new Uint8Array(0) });
    for (const bad of ['99', '-1', 'x', '1.5', '']) expect(status(() => splitBody(body, bad))).toBe(400);
  });

  it('inputs take their bytes from the tail in order, and must use all of it', () => {
    const x = { name: 'x', datatype: 'FP32' as const, shape: [1], parameters: { binary_data_size: 4 } };
    const y = { ...x, name: 'y' };
    const tail = new Uint8Array(Float32Array.of(1, 2).buffer);
    const tensors = decodeInputs([x, y], tail);
    expect([tensors.x?.data, tensors.y?.data]).toEqual([Float32Array.of(1), Float32Array.of(2)]);
    expect(status(() => decodeInputs([x], tail))).toBe(400);
    expect(status(() => decodeInputs([x, y, { ...x, name: 'z' }], tail))).toBe(400);
    expect(status(() => decodeInputs([{ ...x, data: [1] }], tail.subarray(0, 4)))).toBe(400);
    expect(status(() => decodeInputs([{ ...x, parameters: { binary_data_size: -4 } }], tail))).toBe(400);
    expect(status(() => decodeInputs([{ name: 'n', datatype: 'FP32', shape: [1] }]))).toBe(400);
  });
});
