/**
 * @module
 * Test support for the backend: small repositories of project-built ONNX models written to a temp folder,
 * and the real server process (`tsx gpu-backend/main.ts`, port 0) started on them and stopped afterwards.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startBackend as startBackendProcess,
  type BackendProcess,
} from '../../../scripts/lib/backend-process.ts';
import { buildModel, node, tensor, valueInfo } from '../../../gpu-backend/onnx/build.ts';

/** Writes `<root>/<name>/config.json` and `<root>/<name>/<version>/model.onnx`. */
export function writeModel(
  root: string,
  name: string,
  config: object,
  onnx: Uint8Array | string,
  version = '1',
) {
  mkdirSync(join(root, name, version), { recursive: true });
  writeFileSync(join(root, name, 'config.json'), JSON.stringify(config));
  writeFileSync(join(root, name, version, 'model.onnx'), onnx);
}

/**
 * `calc` (max_batch_size 4): `x` FP32 [N,L] and `ids` INT64 [N,L] → `double` = 2x, `total` = Σx over L,
 * `ids_out` = ids, `product` = x·ids (which makes onnxruntime refuse x and ids of different lengths).
 * Variable L exercises padding; N > 4 exercises chunking.
 */
export function calcModel(): Uint8Array {
  return buildModel({
    name: 'calc',
    inputs: [valueInfo('x', 'float32', ['N', 'L']), valueInfo('ids', 'int64', ['N', 'L'])],
    outputs: [
      valueInfo('double', 'float32', ['N', 'L']),
      valueInfo('total', 'float32', ['N']),
      valueInfo('ids_out', 'int64', ['N', 'L']),
      valueInfo('product', 'float32', ['N', 'L']),
    ],
    initializers: [tensor('two', new Float32Array([2]), []), tensor('axis', BigInt64Array.from([1n]), [1])],
    nodes: [
      node('Mul', ['x', 'two'], ['double']),
      node('ReduceSum', ['x', 'axis'], ['total'], { keepdims: 0 }),
      node('Identity', ['ids'], ['ids_out']),
      node('Cast', ['ids'], ['ids_float'], { to: 1 }),
      node('Mul', ['x', 'ids_float'], ['product']),
    ],
  });
}

export const calcConfig = {
  name: 'calc',
  platform: 'onnxruntime_onnx',
  max_batch_size: 4,
  input: [
    { name: 'x', data_type: 'TYPE_FP32', dims: [-1] },
    { name: 'ids', data_type: 'TYPE_INT64', dims: [-1] },
  ],
  output: [
    { name: 'total', data_type: 'TYPE_FP32', dims: [] },
    { name: 'double', data_type: 'TYPE_FP32', dims: [-1] },
    { name: 'ids_out', data_type: 'TYPE_INT64', dims: [-1] },
  ],
  parameters: { embedding_output: { string_value: 'total' } },
};

/** ONNX element type numbers of the types `valueInfo` does not name. */
const EXTRA_ELEM_TYPES = { uint16: 4, int16: 5, float16: 10, float64: 11, uint32: 12, uint64: 13 } as const;
const ELEM_TYPES = ['bool', 'uint8', 'int8', 'int32', 'int64', 'float32', ...Object.keys(EXTRA_ELEM_TYPES)];

/** `types` (max_batch_size 0): one Identity per element type, `in_<type>` [2] → `out_<type>` [2]. */
export function typesModel(): Uint8Array {
  const info = (name: string, type: string) => {
    const extra = EXTRA_ELEM_TYPES[type as keyof typeof EXTRA_ELEM_TYPES];
    const value = valueInfo(name, extra === undefined ? (type as 'float32') : 'float32', [2]);
    if (extra !== undefined && value.type?.tensorType) value.type.tensorType.elemType = extra;
    return value;
  };
  return buildModel({
    name: 'types',
    inputs: ELEM_TYPES.map((type) => info(`in_${type}`, type)),
    outputs: ELEM_TYPES.map((type) => info(`out_${type}`, type)),
    nodes: ELEM_TYPES.map((type) => node('Identity', [`in_${type}`], [`out_${type}`])),
  });
}

export const typesConfig = {
  name: 'types',
  platform: 'onnxruntime_onnx',
  max_batch_size: 0,
  input: [{ name: 'in_float32', data_type: 'TYPE_FP32', dims: [2] }],
  output: [{ name: 'out_float32', data_type: 'TYPE_FP32', dims: [2] }],
};

/** A temp repository holding `calc` and `types`. */
export function testRepository(): string {
  const root = mkdtempSync(join(tmpdir(), 'modalfuse-repo-'));
  writeModel(root, 'calc', calcConfig, calcModel());
  writeModel(root, 'types', typesConfig, typesModel());
  return root;
}

export type Backend = BackendProcess;

/** Starts the real backend on `env` (port 0 unless set) and resolves when it prints its listening line. */
export function startBackend(env: Record<string, string>, timeoutMs = 90_000): Promise<Backend> {
  return startBackendProcess({ env, startTimeoutMs: timeoutMs });
}

export interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Headers;
}

/** One request to a backend; `body` is sent as JSON unless it is already a string. */
export async function call(url: string, method: string, path: string, body?: unknown): Promise<Reply> {
  const response = await fetch(`${url}${path}`, {
    method,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    headers: { 'content-type': 'application/json' },
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as unknown) : undefined,
    headers: response.headers,
  };
}
