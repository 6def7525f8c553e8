/**
 * The real backend process on a temp repository of project-built models (`calc`, `types`): routes, metadata,
 * inference and every client error, over HTTP.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InferResponse } from '../protocol/types.ts';
import {
  calcConfig,
  call,
  startBackend,
  testRepository,
  type Backend,
} from '../../test/support/backend/server.ts';

let backend: Backend;
let root: string;
const get = (path: string) => call(backend.url, 'GET', path);
const post = (path: string, body?: unknown) => call(backend.url, 'POST', path, body);

beforeAll(async () => {
  root = testRepository();
  backend = await startBackend({ MODALFUSE_MODEL_REPOSITORY: root, MODALFUSE_EXECUTION_PROVIDER: 'cpu' });
});

afterAll(async () => {
  expect(await backend?.stop()).toBe(0);
  rmSync(root, { recursive: true, force: true });
});

const calcInputs = (rows: number[][]) => [
  { name: 'x', datatype: 'FP32', shape: [rows.length, rows[0]?.length ?? 0], data: rows.flat() },
  {
    name: 'ids',
    datatype: 'INT64',
    shape: [rows.length, rows[0]?.length ?? 0],
    data: rows.flat().map((v) => v * 10),
  },
];

describe('startup', () => {
  it('prints a line per model and the listening line, with no warning on cpu', () => {
    expect(backend.stdout()).toMatch(/^model calc version 1 ready \(cpu\)$/m);
    expect(backend.stdout()).toMatch(/^model types version 1 ready \(cpu\)$/m);
    expect(backend.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(backend.provider).toBe('cpu');
    expect(backend.stderr()).not.toMatch(/WARN/);
  });
});

describe('health and metadata', () => {
  it('live and ready', async () => {
    expect(await get('/v2/health/live')).toMatchObject({ status: 200, body: { live: true } });
    expect(await get('/v2/health/ready')).toMatchObject({ status: 200, body: { ready: true } });
  });

  it('server metadata names the execution provider', async () => {
    expect((await get('/v2')).body).toEqual({
      name: 'modalfuse-backend',
      version: '0.1.0',
      extensions: ['model_repository', 'model_configuration', 'binary_tensor_data'],
      execution_provider: 'cpu',
    });
  });

  it('model metadata: config tensors with the batch dim, platform and parameters', async () => {
    const expected = {
      name: 'calc',
      versions: ['1'],
      platform: 'onnxruntime_onnx',
      inputs: [
        { name: 'x', datatype: 'FP32', shape: [-1, -1] },
        { name: 'ids', datatype: 'INT64', shape: [-1, -1] },
      ],
      outputs: [
        { name: 'total', datatype: 'FP32', shape: [-1] },
        { name: 'double', datatype: 'FP32', shape: [-1, -1] },
        { name: 'ids_out', datatype: 'INT64', shape: [-1, -1] },
      ],
      // `created`: model.onnx's time, as OpenAI's model list has it; `max_batch_size`: so the edge splits calls.
      parameters: {
        embedding_output: 'total',
        execution_provider: 'cpu',
        max_batch_size: 4,
        created: expect.any(Number) as number,
      },
    };
    expect(await get('/v2/models/calc')).toMatchObject({ status: 200, body: expected });
    expect(await get('/v2/models/calc/versions/1')).toMatchObject({ status: 200, body: expected });
    const types = (await get('/v2/models/types')).body as { inputs: { shape: number[] }[] };
    expect(types.inputs[0]?.shape).toEqual([2]);
  });

  it('model readiness and config', async () => {
    expect(await get('/v2/models/calc/ready')).toMatchObject({
      status: 200,
      body: { name: 'calc', ready: true },
    });
    expect(await get('/v2/models/calc/versions/1/ready')).toMatchObject({ status: 200 });
    expect(await get('/v2/models/calc/config')).toMatchObject({ status: 200, body: calcConfig });
  });

  it('repository index lists every model, READY', async () => {
    const index = [
      { name: 'calc', version: '1', state: 'READY' },
      { name: 'types', version: '1', state: 'READY' },
    ];
    expect(await post('/v2/repository/index')).toEqual(expect.objectContaining({ status: 200, body: index }));
    expect((await post('/v2/repository/index', { ready: true })).body).toEqual(index);
    expect(await post('/v2/repository/index', '{')).toMatchObject({ status: 400 });
  });
});

describe('404', () => {
  it.each([
    ['GET', '/v2/models/nope', 'unknown model "nope" (models: calc, types)'],
    ['GET', '/v2/models/nope/ready', 'unknown model "nope" (models: calc, types)'],
    ['GET', '/v2/models/calc/versions/2', 'model "calc" has no version "2" (versions: 1)'],
    ['POST', '/v2/models/calc/versions/2/infer', 'model "calc" has no version "2" (versions: 1)'],
    ['POST', '/v2/models/nope/infer', 'unknown model "nope" (models: calc, types)'],
    ['GET', '/v3', 'no route for GET /v3'],
  ])('%s %s', async (method, path, error) => {
    expect(await call(backend.url, method, path, method === 'POST' ? {} : undefined)).toMatchObject({
      status: 404,
      body: { error },
    });
  });
});

describe('infer', () => {
  it('runs typed tensors in chunks of max_batch_size and echoes the id', async () => {
    const rows = [
      [1, 2],
      [3, 4],
      [5, 6],
      [7, 8],
      [9, 10],
      [11, 12],
    ];
    const reply = await post('/v2/models/calc/infer', { id: 'req-1', inputs: calcInputs(rows) });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      model_name: 'calc',
      model_version: '1',
      id: 'req-1',
      outputs: [
        { name: 'total', datatype: 'FP32', shape: [6], data: [3, 7, 11, 15, 19, 23] },
        { name: 'double', datatype: 'FP32', shape: [6, 2], data: rows.flat().map((v) => v * 2) },
        { name: 'ids_out', datatype: 'INT64', shape: [6, 2], data: rows.flat().map((v) => v * 10) },
        { name: 'product', datatype: 'FP32', shape: [6, 2], data: rows.flat().map((v) => v * v * 10) },
      ],
    });
  });

  it('the versioned route and nested data give the same answer', async () => {
    const inputs = calcInputs([[1, 2]]).map((input) => ({ ...input, data: [input.data] }));
    const reply = await post('/v2/models/calc/versions/1/infer', { inputs });
    expect((reply.body as InferResponse).outputs[0]?.data).toEqual([3]);
  });

  it('answers only the requested outputs, in the requested order', async () => {
    const reply = await post('/v2/models/calc/infer', {
      inputs: calcInputs([[1, 2]]),
      outputs: [{ name: 'ids_out' }, { name: 'total' }],
    });
    expect((reply.body as InferResponse).outputs.map((output) => output.name)).toEqual(['ids_out', 'total']);
  });

  it('every datatype survives the trip through onnxruntime', async () => {
    const data: Record<string, [string, (number | boolean)[]]> = {
      bool: ['BOOL', [true, false]],
      uint8: ['UINT8', [0, 255]],
      int8: ['INT8', [-128, 127]],
      int32: ['INT32', [-2147483648, 2147483647]],
      int64: ['INT64', [-9007199254740991, 9007199254740991]],
      float32: ['FP32', [0.5, -1.25]],
      uint16: ['UINT16', [0, 65535]],
      int16: ['INT16', [-32768, 32767]],
      float16: ['FP16', [1.5, -65504]],
      float64: ['FP64', [Math.PI, -1e300]],
      uint32: ['UINT32', [0, 4294967295]],
      uint64: ['UINT64', [0, 9007199254740991]],
    };
    const inputs = Object.entries(data).map(([type, [datatype, values]]) => ({
      name: `in_${type}`,
      datatype,
      shape: [2],
      data: values,
    }));
    const reply = await post('/v2/models/types/infer', { inputs });
    expect(reply.status).toBe(200);
    const outputs = (reply.body as InferResponse).outputs;
    const byName = Object.fromEntries(outputs.map((output) => [output.name, output]));
    for (const [type, [datatype, values]] of Object.entries(data)) {
      expect(byName[`out_${type}`]).toEqual({ name: `out_${type}`, datatype, shape: [2], data: values });
    }
    expect(outputs).toHaveLength(12);
  });
});

describe('400: the client’s mistakes, never a 500', () => {
  const infer = (body: unknown) => post('/v2/models/calc/infer', body);
  const valid = calcInputs([[1, 2]]);

  it.each([
    ['malformed JSON', '{"inputs": [', /^the body is not valid JSON: /],
    ['an empty body', '', /^the body is not valid JSON/],
    ['no inputs', { inputs: [] }, /^invalid infer request: inputs: /],
    [
      'an unknown datatype',
      { inputs: [{ ...valid[0], datatype: 'FP8' }] },
      /^invalid infer request: inputs.0.datatype: /,
    ],
    [
      'a negative dim',
      { inputs: [{ ...valid[0], shape: [-1, 2] }] },
      /^invalid infer request: inputs.0.shape.0: /,
    ],
    [
      'shape vs data length',
      { inputs: [{ ...valid[0], shape: [2, 2] }, valid[1]] },
      /^input "x": shape \[2,2\] holds 4 elements, data has 2$/,
    ],
    [
      'an unknown input',
      { inputs: [...valid, { ...valid[0], name: 'y' }] },
      /^unknown input "y" \(model inputs: x, ids\)$/,
    ],
    ['a missing input', { inputs: [valid[0]] }, /^missing input "ids" \(model inputs: x, ids\)$/],
    ['an input sent twice', { inputs: [...valid, valid[0]] }, /^input "x" is sent twice$/],
    [
      'a wrong datatype',
      { inputs: [{ ...valid[0], datatype: 'FP64' }, valid[1]] },
      /^input "x" must be FP32, got FP64$/,
    ],
    [
      'a wrong rank',
      { inputs: [{ ...valid[0], shape: [2] }, valid[1]] },
      /^input "x" has shape \[2\], model expects \[N,L\]$/,
    ],
    [
      'batch dims that disagree',
      { inputs: [valid[0], { ...valid[1], shape: [2, 1] }] },
      /^inputs disagree on the batch dimension/,
    ],
    [
      'an unknown output',
      { inputs: valid, outputs: [{ name: 'nope' }] },
      /^unknown output "nope" \(model outputs: double, total, ids_out, product\)$/,
    ],
    [
      'a value out of range',
      { inputs: [valid[0], { ...valid[1], data: [1, 2 ** 60] }] },
      /^input "ids" \(INT64\): element 1 must be an integer/,
    ],
    [
      'bad base64',
      {
        inputs: [
          { name: 'x', datatype: 'BYTES', shape: [1], parameters: { content_type: 'base64' }, data: ['%%%'] },
        ],
      },
      /^input "x" \(BYTES\): element 0 is not valid base64$/,
    ],
    [
      'lengths onnxruntime refuses',
      { inputs: [valid[0], { ...valid[1], shape: [1, 3], data: [1, 2, 3] }] },
      /^the model rejected the inputs: /,
    ],
  ])('%s', async (_, body, error) => {
    const reply = await infer(body);
    expect(reply.status).toBe(400);
    expect((reply.body as { error: string }).error).toMatch(error);
  });

  it('the server is still healthy afterwards', async () => {
    expect((await get('/v2/health/ready')).status).toBe(200);
    expect(backend.stderr()).not.toMatch(/ERROR/);
  });
});
