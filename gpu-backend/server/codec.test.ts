import { describe, expect, it } from 'vitest';
import type { Datatype, RequestInput } from '../protocol/types.ts';
import { StatusError } from '../runtime/errors.ts';
import { decodeInput, encodeOutput } from './codec.ts';

/** `data` may be nested: the codec accepts what Triton accepts, beyond the flat wire type. */
const input = (datatype: Datatype, data: unknown[], shape = [data.length]): RequestInput => ({
  name: 'x',
  datatype,
  shape,
  data: data as RequestInput['data'],
});

function decodeError(request: RequestInput): StatusError {
  try {
    decodeInput(request);
  } catch (error) {
    if (error instanceof StatusError) return error;
    throw error;
  }
  throw new Error('expected a StatusError');
}

describe('decodeInput: every datatype round-trips through encodeOutput', () => {
  const cases: [Datatype, RequestInput['data'], string][] = [
    ['BOOL', [true, false, true], 'Uint8Array'],
    ['UINT8', [0, 255], 'Uint8Array'],
    ['UINT16', [0, 65535], 'Uint16Array'],
    ['UINT32', [0, 4294967295], 'Uint32Array'],
    ['UINT64', [0, Number.MAX_SAFE_INTEGER], 'BigUint64Array'],
    ['INT8', [-128, 127], 'Int8Array'],
    ['INT16', [-32768, 32767], 'Int16Array'],
    ['INT32', [-2147483648, 2147483647], 'Int32Array'],
    ['INT64', [Number.MIN_SAFE_INTEGER, -1, Number.MAX_SAFE_INTEGER], 'BigInt64Array'],
    ['FP16', [0, 1.5, -2, 65504, 0.000060975551605224609], 'Uint16Array'],
    ['FP32', [0.5, -1.25, 3], 'Float32Array'],
    ['FP64', [Math.PI, -1e300], 'Float64Array'],
  ];
  it.each(cases)('%s', (datatype, data, arrayType) => {
    const tensor = decodeInput(input(datatype, data));
    expect(tensor.data.constructor.name).toBe(arrayType);
    expect(tensor.dims).toEqual([data.length]);
    const output = encodeOutput('y', tensor);
    expect(output).toEqual({ name: 'y', datatype, shape: [data.length], data });
  });

  it('BYTES as UTF-8 strings and as base64', () => {
    const text = decodeInput(input('BYTES', ['héllo', '']));
    expect(text.type).toBe('bytes');
    expect((text.data as Uint8Array[]).map((b) => Buffer.from(b).toString('utf8'))).toEqual(['héllo', '']);
    const b64 = decodeInput({
      ...input('BYTES', ['AAEC/w==', 'aGk=']),
      parameters: { content_type: 'base64' },
    });
    expect((b64.data as Uint8Array[]).map((b) => [...b])).toEqual([
      [0, 1, 2, 255],
      [104, 105],
    ]);
    expect(encodeOutput('y', text).data).toEqual(['héllo', '']);
  });

  it('accepts data nested as the shape, row-major', () => {
    const tensor = decodeInput(
      input(
        'INT32',
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        [2, 3],
      ),
    );
    expect([...(tensor.data as Int32Array)]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(tensor.dims).toEqual([2, 3]);
  });

  it('handles empty tensors and scalars', () => {
    expect(decodeInput(input('FP32', [], [0, 4])).dims).toEqual([0, 4]);
    expect([...(decodeInput(input('INT64', [7], [])).data as BigInt64Array)]).toEqual([7n]);
  });
});

describe('decodeInput: bad input is a 400 naming the fault', () => {
  it('shape and data length disagree', () => {
    const error = decodeError(input('FP32', [1, 2, 3], [2, 2]));
    expect(error.status).toBe(400);
    expect(error.message).toBe('input "x": shape [2,2] holds 4 elements, data has 3');
  });

  it('nested data that is deeper than the shape', () => {
    expect(decodeError(input('FP32', [[[1]], [[2]]], [2, 1])).message).toMatch(
      /element 0 must be a number, got an array/,
    );
  });

  it('a rank beyond 32', () => {
    expect(decodeError(input('FP32', [1], new Array(33).fill(1))).message).toMatch(/33 dimensions/);
  });

  it.each([
    ['INT8', [1, 128], 'element 1 must be an integer in [-128, 127], got 128'],
    ['UINT8', [-1], 'element 0 must be an integer in [0, 255], got -1'],
    ['INT32', [1.5], 'element 0 must be an integer'],
    ['UINT32', [2 ** 32], 'element 0 must be an integer in [0, 4294967295]'],
    ['INT64', [2 ** 60], 'element 0 must be an integer in [-9007199254740991, 9007199254740991]'],
    ['UINT64', [-5], 'element 0 must be an integer in [0, 9007199254740991]'],
    ['FP32', [1, '2'], 'element 1 must be a number, got "2"'],
    ['FP16', [null], 'element 0 must be a number, got null'],
    ['BOOL', [1], 'element 0 must be true or false, got 1'],
    ['BYTES', [3], 'element 0 must be a string, got 3'],
  ] as [Datatype, RequestInput['data'], string][])('%s %j', (datatype, data, message) => {
    const error = decodeError(input(datatype, data));
    expect(error.status).toBe(400);
    expect(error.message).toContain(`input "x" (${datatype}): ${message}`);
  });

  it.each(['not base64!', 'QUJD=', 'QUJ', 'QU JD', 'QUJD\n'])('bad base64 %j', (value) => {
    const error = decodeError({ ...input('BYTES', ['QUJD', value]), parameters: { content_type: 'base64' } });
    expect(error.message).toBe('input "x" (BYTES): element 1 is not valid base64');
  });

  it('an unknown content_type', () => {
    const error = decodeError({ ...input('BYTES', ['a']), parameters: { content_type: 'np' } });
    expect(error.message).toMatch(/content_type must be one of base64, str/);
  });

  it('keeps error messages short for huge values', () => {
    const error = decodeError(input('FP32', ['x'.repeat(10_000)]));
    expect(error.message.length).toBeLessThan(120);
  });
});

describe('encodeOutput', () => {
  it('turns 64-bit integers into numbers and booleans into true/false', () => {
    expect(encodeOutput('a', { type: 'int64', data: BigInt64Array.from([-3n, 4n]), dims: [2] }).data).toEqual(
      [-3, 4],
    );
    expect(encodeOutput('b', { type: 'bool', data: Uint8Array.from([0, 1]), dims: [2] })).toEqual({
      name: 'b',
      datatype: 'BOOL',
      shape: [2],
      data: [false, true],
    });
    expect(encodeOutput('s', { type: 'string', data: ['x'], dims: [1] }).datatype).toBe('BYTES');
  });
});

describe('FP16 (held by onnxruntime as uint16 bit patterns)', () => {
  const bitsOf = (values: number[]) => [...(decodeInput(input('FP16', values)).data as Uint16Array)];
  const valuesOf = (bits: number[]) =>
    encodeOutput('h', { type: 'float16', data: Uint16Array.from(bits), dims: [bits.length] }).data;

  it('maps values to their IEEE 754 half bits and back', () => {
    const values = [0, -0, 1, -2, 0.5, 65504, 2 ** -14, 2 ** -24, Infinity, -Infinity];
    const bits = [0x0000, 0x8000, 0x3c00, 0xc000, 0x3800, 0x7bff, 0x0400, 0x0001, 0x7c00, 0xfc00];
    expect(bitsOf(values)).toEqual(bits);
    expect(valuesOf(bits)).toEqual(values);
  });

  it('rounds to nearest, ties to even, and overflows to Infinity', () => {
    expect(bitsOf([1 + 2 ** -11, 1 + 3 * 2 ** -11, 65520, 2 ** -26, 3 * 2 ** -25])).toEqual([
      0x3c00, 0x3c02, 0x7c00, 0, 0x0002,
    ]);
  });

  it('reads a tensor that is a view into a larger buffer', () => {
    const whole = Uint16Array.from([0x3c00, 0xc000, 0x3800]);
    const view = new Uint16Array(whole.buffer, 2, 2);
    expect(encodeOutput('h', { type: 'float16', data: view, dims: [2] }).data).toEqual([-2, 0.5]);
  });
});
