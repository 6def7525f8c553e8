/**
 * @module
 * The KServe client's credential: with `BACKEND_TOKEN` every call it makes to the backend (metadata, repository
 * index, infer, readiness) carries `Authorization: Bearer <token>`; without it, none does.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CanonicalInput } from '../../adapters/types.ts';
import type { InferResponse, ModelMetadata } from '../../gpu-backend/protocol/types.ts';
import { bindings } from '../../test/edge/helpers.ts';
import { createApp } from '../app.ts';
import { createKServeClient, createMetadataCache } from './kserve.ts';

const metadata: ModelMetadata = {
  name: 'tiny',
  versions: ['1'],
  platform: 'onnxruntime_onnx',
  inputs: [{ name: 'raw', datatype: 'BYTES', shape: [-1] }],
  outputs: [{ name: 'embedding', datatype: 'FP32', shape: [-1, 2] }],
  parameters: { modality: 'text', embedding_output: 'embedding', execution_provider: 'cpu' },
};

const inferred: InferResponse = {
  model_name: 'tiny',
  outputs: [{ name: 'embedding', datatype: 'FP32', shape: [1, 2], data: [1, 0] }],
};

/** A KServe backend in a `fetch` stub: answers what the client asks, and records each call's Authorization. */
function fakeBackend(): { path: string; authorization: string | null }[] {
  const seen: { path: string; authorization: string | null }[] = [];
  vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const { pathname } = new URL(request.url);
    seen.push({ path: pathname, authorization: request.headers.get('authorization') });
    const body = pathname.endsWith('/infer')
      ? inferred
      : pathname === '/v2/repository/index'
        ? [{ name: 'tiny', version: '1', state: 'READY' }]
        : pathname === '/v2/health/ready'
          ? { ready: true }
          : metadata;
    return Promise.resolve(Response.json(body));
  });
  return seen;
}

const text = (value: string): CanonicalInput => ({
  modality: 'text',
  bytes: new TextEncoder().encode(value),
  mimeType: 'text/plain',
  meta: {},
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the KServe client', () => {
  it('sends the bearer token on every call', async () => {
    const seen = fakeBackend();
    const client = createKServeClient('http://backend.test/', {
      metadata: createMetadataCache(),
      token: 's3cr3t',
    });
    expect(await client.models()).toHaveLength(1);
    expect(await client.embed('tiny', [text('hello')])).toEqual([Float32Array.from([1, 0])]);
    expect(await client.ready()).toBe(true);
    const paths = seen.map((call) => call.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/v2/repository/index',
        '/v2/models/tiny',
        '/v2/models/tiny/infer',
        '/v2/health/ready',
      ]),
    );
    expect(seen.every((call) => call.authorization === 'Bearer s3cr3t')).toBe(true);
  });

  it('sends no Authorization without a token', async () => {
    const seen = fakeBackend();
    const client = createKServeClient('http://backend.test', { metadata: createMetadataCache() });
    await client.embed('tiny', [text('hello')]);
    expect(await client.ready()).toBe(true);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((call) => call.authorization === null)).toBe(true);
  });
});

describe("the Worker's BACKEND_TOKEN secret", () => {
  it('is the credential of every backend of the pool the default client calls', async () => {
    const app = createApp();
    const seen = fakeBackend();
    const env = bindings({
      BACKEND_URLS: 'http://token-a.test,http://token-b.test',
      BACKEND_TOKEN: 'pool-token',
    });
    const response = await app.request(
      '/v1/embeddings',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'tiny', input: `token ${crypto.randomUUID()}` }),
      },
      env,
    );
    expect(response.status).toBe(200);
    expect(new Set(seen.map((call) => new URL(call.path, 'http://x').pathname))).toContain(
      '/v2/models/tiny/infer',
    );
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((call) => call.authorization === 'Bearer pool-token')).toBe(true);
  });
});
