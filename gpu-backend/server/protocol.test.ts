/**
 * The binary tensor data extension against the real backend process: binary inputs beside JSON ones, outputs
 * asked for as binary one by one or all at once, every fixed-size datatype both ways, and malformed bodies.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinBody } from './binary.ts';
import { startBackend, testRepository, type Backend } from '../../test/support/backend/server.ts';

let backend: Backend;
let root: string;

beforeAll(async () => {
  root = testRepository();
  backend = await startBackend({ MODALFUSE_MODEL_REPOSITORY: root, MODALFUSE_EXECUTION_PROVIDER: 'cpu' });
});

afterAll(async () => {
  expect(await backend?.stop()).toBe(0);
  rmSync(root, { recursive: true, force: true });
});

interface BinaryReply {
  status: number;
  header: {
    outputs?: {
      name: string;
      datatype: string;
      shape: number[];
      data?: unknown[];
      parameters?: { binary_data_size?: number };
    }[];
    error?: string;
  };
  /** Binary outputs by name. */
  binary: Map<string, Uint8Array>;
}

async function post(model: string, header: object, chunks: Uint8Array[]): Promise<BinaryReply> {
  const { body, headerLength } = joinBody(JSON.stringify(header), chunks);
  const response = await fetch(`${backend.url}/v2/models/${model}/infer`, {
    method: 'POST',
    body,
    headers: {
      'inference-header-content-length': String(headerLength),
      'content-type': 'application/octet-stream',
    },
  });
  const bytes = new Uint8Array(await response.arrayBuffer());
  const length = Number(response.headers.get('inference-header-content-length') ?? bytes.byteLength);
  const parsed = JSON.parse(new TextDecoder().decode(bytes.subarray(0, length))) as BinaryReply['header'];
  const binary = new Map<string, Uint8Array>();
  let offset = length;
  for (const output of parsed.outputs ?? []) {
    const size = output.parameters?.binary_data_size;
    if (size === undefined) continue;
    binary.set(output.name, bytes.slice(offset, offset + size));
    offset += size;
  }
  expect(offset).toBe(bytes.byteLength);
  return { status: response.status, header: parsed, binary };
}

const f32 = (bytes: Uint8Array | undefined) =>
  Array.from(new Float32Array((bytes ?? new Uint8Array()).slice().buffer));

describe('binary tensor data', () => {
  it('a binary input beside a JSON one; one output binary, one JSON', async () => {
    const x = new Uint8Array(Float32Array.of(1, 2, 3, 4).buffer);
    const reply = await post(
      'calc',
      {
        inputs: [
          { name: 'x', datatype: 'FP32', shape: [2, 2], parameters: { binary_data_size: x.byteLength } },
          { name: 'ids', datatype: 'INT64', shape: [2, 2], data: [1, 1, 1, 1] },
        ],
        outputs: [{ name: 'total', parameters: { binary_data: true } }, { name: 'double' }],
      },
      [x],
    );
    expect(reply.status).toBe(200);
    expect(reply.header.outputs).toEqual([
      { name: 'total', datatype: 'FP32', shape: [2], parameters: { binary_data_size: 8 } },
      { name: 'double', datatype: 'FP32', shape: [2, 2], data: [2, 4, 6, 8] },
    ]);
    expect(f32(reply.binary.get('total'))).toEqual([3, 7]);
  });

  it('binary_data_output returns every output binary; each datatype survives the round trip', async () => {
    const types = [
      'bool',
      'uint8',
      'int8',
      'int32',
      'int64',
      'float32',
      'uint16',
      'int16',
      'float16',
      'float64',
      'uint32',
      'uint64',
    ];
    const datatype: Record<string, string> = {
      bool: 'BOOL',
      float16: 'FP16',
      float32: 'FP32',
      float64: 'FP64',
    };
    const width: Record<string, number> = {
      bool: 1,
      uint8: 1,
      int8: 1,
      uint16: 2,
      int16: 2,
      float16: 2,
      int32: 4,
      uint32: 4,
      float32: 4,
      int64: 8,
      uint64: 8,
      float64: 8,
    };
    const chunks = types.map((type) =>
      Uint8Array.from({ length: 2 * (width[type] ?? 0) }, (_, i) =>
        type === 'bool' ? i % 2 : (i * 37) % 128,
      ),
    );
    const reply = await post(
      'types',
      {
        parameters: { binary_data_output: true },
        inputs: types.map((type, i) => ({
          name: `in_${type}`,
          datatype: datatype[type] ?? type.toUpperCase(),
          shape: [2],
          parameters: { binary_data_size: chunks[i]?.byteLength },
        })),
        outputs: types.map((type) => ({ name: `out_${type}` })),
      },
      chunks,
    );
    expect(reply.status).toBe(200);
    types.forEach((type, i) => expect(reply.binary.get(`out_${type}`)).toEqual(chunks[i]));
  });

  it('malformed binary bodies are 400s', async () => {
    const x = new Uint8Array(Float32Array.of(1, 2).buffer);
    const input = (size: number) => ({
      inputs: [
        { name: 'x', datatype: 'FP32', shape: [1, 2], parameters: { binary_data_size: size } },
        { name: 'ids', datatype: 'INT64', shape: [1, 2], data: [1, 1] },
      ],
    });
    for (const [header, chunks] of [
      [input(12), [x]],
      [input(4), [x]],
      [input(8), [x, x]],
    ] as const) {
      const reply = await post('calc', header, [...chunks]);
      expect(reply.status).toBe(400);
      expect(reply.header.error).toMatch(/binary|bytes/);
    }
    const response = await fetch(`${backend.url}/v2/models/calc/infer`, {
      method: 'POST',
      body: '{}',
      headers: { 'inference-header-content-length': '500' },
    });
    expect(response.status).toBe(400);
  });
});
