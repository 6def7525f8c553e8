/**
 * The real backend process asked for CUDA on a machine without it, on a repository with broken models: it must
 * fall back to CPU loudly, serve the good model, report the broken ones, and drain in-flight requests on SIGTERM.
 */
import { request } from 'node:http';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InferResponse, RepositoryIndexEntry } from '../protocol/types.ts';
import {
  calcConfig,
  calcModel,
  call,
  startBackend,
  testRepository,
  writeModel,
  type Backend,
} from '../../test/support/backend/server.ts';

let backend: Backend;
let root: string;
const get = (path: string) => call(backend.url, 'GET', path);

const raw = [{ name: 'raw', data_type: 'TYPE_STRING', dims: [1] }];
const withAdapter = (name: string, adapter: string) => ({
  ...calcConfig,
  name,
  input: raw,
  parameters: { adapter: { string_value: adapter } },
});

beforeAll(async () => {
  root = testRepository();
  writeModel(root, 'bad-config', { name: 'bad-config', platform: 'onnxruntime_onnx' }, calcModel());
  writeModel(root, 'garbage', { ...calcConfig, name: 'garbage' }, 'not an onnx model');
  writeModel(root, 'no-adapter', withAdapter('no-adapter', 'does-not-exist'), calcModel());
  writeModel(root, 'evil-adapter', withAdapter('evil-adapter', '../../etc'), calcModel());
  const wrongOutput = {
    ...calcConfig,
    name: 'wrong-output',
    output: [{ name: 'nope', data_type: 'TYPE_FP32', dims: [] }],
  };
  writeModel(root, 'wrong-output', wrongOutput, calcModel());
  backend = await startBackend({ MODALFUSE_MODEL_REPOSITORY: root, MODALFUSE_EXECUTION_PROVIDER: 'cuda' });
});

afterAll(async () => {
  await backend?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('CUDA requested on a machine without it', () => {
  it('warns on stderr, naming the reason, and still starts', () => {
    expect(backend.stderr()).toMatch(
      /^WARN MODALFUSE_EXECUTION_PROVIDER=cuda: (CUDA execution provider failed to start on device 0|this onnxruntime-node build has no CUDA).*; falling back to CPU$/m,
    );
    expect(backend.provider).toBe('cpu');
  });

  it('reports the provider actually used', async () => {
    expect((await get('/v2')).body).toMatchObject({ execution_provider: 'cpu' });
    expect((await get('/v2/models/calc')).body).toMatchObject({ parameters: { execution_provider: 'cpu' } });
  });
});

describe('a repository with broken models', () => {
  it('lists each broken model as UNAVAILABLE with its reason, loudly', async () => {
    const reply = await call(backend.url, 'POST', '/v2/repository/index');
    const index = Object.fromEntries(
      (reply.body as RepositoryIndexEntry[]).map((entry) => [entry.name, entry]),
    );
    expect(index.calc).toEqual({ name: 'calc', version: '1', state: 'READY' });
    expect(index.types?.state).toBe('READY');
    const reasons = {
      'bad-config': /^config.json is invalid: max_batch_size: .*; input: /,
      garbage: /^Load model from .*garbage.*model.onnx failed: ?Protobuf parsing failed/,
      'no-adapter': /^adapter "does-not-exist" has no preprocess.ts \(adapters with one: .*\)$/,
      'evil-adapter': /^adapter name "\.\.\/\.\.\/etc" is invalid/,
      'wrong-output':
        /^config output "nope" is not an output of model.onnx \(it has: double, total, ids_out, product\)$/,
    };
    for (const [name, reason] of Object.entries(reasons)) {
      expect(index[name]).toMatchObject({
        name,
        state: 'UNAVAILABLE',
        reason: expect.stringMatching(reason),
      });
      expect(backend.stderr()).toContain(`ERROR model ${name} UNAVAILABLE: `);
    }
    const ready = (await call(backend.url, 'POST', '/v2/repository/index', { ready: true })).body;
    expect((ready as RepositoryIndexEntry[]).map((entry) => entry.name)).toEqual(['calc', 'types']);
  });

  it('the server is not ready, the broken models answer 503, the good ones serve', async () => {
    const ready = await get('/v2/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({
      ready: false,
      error: expect.stringMatching(/^models not ready: bad-config \(/),
    });
    expect(await get('/v2/models/garbage/ready')).toMatchObject({
      status: 503,
      body: { name: 'garbage', ready: false },
    });
    expect(await get('/v2/models/no-adapter')).toMatchObject({
      status: 503,
      body: { error: expect.stringMatching(/^model "no-adapter" is UNAVAILABLE: adapter "does-not-exist"/) },
    });
    const infer = await call(backend.url, 'POST', '/v2/models/wrong-output/infer', {});
    expect(infer.status).toBe(503);
    expect((await get('/v2/health/live')).status).toBe(200);
    expect((await get('/v2/models/calc/ready')).status).toBe(200);
  });
});

/** Sends the head and half the body of an infer request; `finish()` sends the rest and resolves with the reply. */
function slowInfer(url: string): { finish(): Promise<{ status: number; body: string }> } {
  const body = JSON.stringify({
    inputs: [
      { name: 'x', datatype: 'FP32', shape: [1, 2], data: [1, 2] },
      { name: 'ids', datatype: 'INT64', shape: [1, 2], data: [3, 4] },
    ],
    outputs: [{ name: 'total' }],
  });
  const { hostname, port } = new URL(url);
  const req = request({
    hostname,
    port,
    method: 'POST',
    path: '/v2/models/calc/infer',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
  });
  const reply = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
  });
  const half = Math.floor(body.length / 2);
  req.write(body.slice(0, half));
  return {
    finish() {
      req.end(body.slice(half));
      return reply;
    },
  };
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('graceful shutdown', () => {
  it('SIGTERM while a request is in flight: no new connections, the request is answered, exit 0', async () => {
    const slow = slowInfer(backend.url);
    await new Promise((resolve) => setTimeout(resolve, 300));
    backend.child.kill('SIGTERM');
    await waitFor(
      () => /SIGTERM: stopping, 1 request\(s\) in flight/.test(backend.stdout()),
      'the drain to start',
    );
    await expect(fetch(`${backend.url}/v2/health/live`)).rejects.toThrow();
    expect(backend.child.exitCode).toBeNull();
    const reply = await slow.finish();
    expect(reply.status).toBe(200);
    expect((JSON.parse(reply.body) as InferResponse).outputs).toEqual([
      { name: 'total', datatype: 'FP32', shape: [1], data: [3] },
    ]);
    expect(await backend.exited).toBe(0);
    expect(backend.stdout()).toMatch(/ModalFuse backend stopped/);
  });
});

describe('no repository', () => {
  it('exits 1 telling how to make one', async () => {
    const missing = join(root, 'does-not-exist');
    await expect(startBackend({ MODALFUSE_MODEL_REPOSITORY: missing })).rejects.toThrow(
      /exited with 1 before listening[\s\S]*ERROR model repository .*does-not-exist does not exist: run `npm run models` first/,
    );
  });
});

describe('listening beyond loopback', () => {
  it('without a token: exits 1 before listening, saying how to secure it', async () => {
    const env = {
      MODALFUSE_MODEL_REPOSITORY: root,
      MODALFUSE_BACKEND_HOST: '0.0.0.0',
      MODALFUSE_BACKEND_TOKEN: '',
    };
    await expect(startBackend(env)).rejects.toThrow(
      /exited with 1 before listening[\s\S]*ERROR refusing to listen on 0\.0\.0\.0 without authentication: set MODALFUSE_BACKEND_TOKEN/,
    );
  });
});
