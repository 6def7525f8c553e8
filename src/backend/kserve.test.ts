/**
 * @module
 * The KServe client's credential: with `BACKEND_TOKEN` every call it makes to the backend (metadata, repository
 * index, infer, readiness) carries `Authorization: Bearer <token>`; without it, none does. A Cloudflare Access
 * service token (`BACKEND_ACCESS_CLIENT_ID` / `_SECRET`) adds Access's two headers, only when both are set.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CanonicalInput } from '../../adapters/types.ts';
import { bindings } from '../../test/edge/helpers.ts';
import { tinyTextModel } from '../../test/edge/tiny-model.ts';
import { createApp } from '../app.ts';
import { createKServeClient, createMetadataCache } from './kserve.ts';

const { metadata, inferred } = tinyTextModel('tiny');

interface SeenCall {
  path: string;
  authorization: string | null;
  accessId: string | null;
  accessSecret: string | null;
}

/** A KServe backend in a `fetch` stub: answers what the client asks, and records each call's credential headers. */
function fakeBackend(): SeenCall[] {
  const seen: SeenCall[] = [];
  vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const { pathname } = new URL(request.url);
    const { headers } = request;
    seen.push({
      path: pathname,
      authorization: headers.get('authorization'),
      accessId: headers.get('cf-access-client-id'),
      accessSecret: headers.get('cf-access-client-secret'),
    });
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
      credentials: { token: 's3cr3t' },
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
    expect(seen.every((call) => call.accessId === null && call.accessSecret === null)).toBe(true);
  });

  it("sends Cloudflare Access's service token beside the bearer, and neither half alone", async () => {
    const both = fakeBackend();
    const withAccess = createKServeClient('http://backend.test', {
      metadata: createMetadataCache(),
      credentials: { token: 't', accessClientId: 'id.access', accessClientSecret: 'secret' },
    });
    expect(await withAccess.ready()).toBe(true);
    expect(await withAccess.models()).toHaveLength(1);
    expect(both.length).toBeGreaterThan(1);
    expect(both.every((call) => call.accessId === 'id.access' && call.accessSecret === 'secret')).toBe(true);
    expect(both.every((call) => call.authorization === 'Bearer t')).toBe(true);

    vi.unstubAllGlobals();
    const half = fakeBackend();
    const idOnly = createKServeClient('http://backend.test', {
      metadata: createMetadataCache(),
      credentials: { accessClientId: 'id.access' },
    });
    expect(await idOnly.ready()).toBe(true);
    expect(half).toEqual([
      { path: '/v2/health/ready', authorization: null, accessId: null, accessSecret: null },
    ]);
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

describe("the Worker's BACKEND_TOKEN and BACKEND_ACCESS_CLIENT_* secrets", () => {
  it('is the credential of every backend of the pool the default client calls', async () => {
    const app = createApp();
    const seen = fakeBackend();
    const env = bindings({
      BACKEND_URLS: 'http://token-a.test,http://token-b.test',
      BACKEND_TOKEN: 'pool-token',
      BACKEND_ACCESS_CLIENT_ID: 'pool.access',
      BACKEND_ACCESS_CLIENT_SECRET: 'pool-secret',
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
    expect(seen.every((call) => call.accessId === 'pool.access' && call.accessSecret === 'pool-secret')).toBe(
      true,
    );
  });
});
