/**
 * @module
 * Work after the answer, inside workerd: the embedding cache's write and the request's log line are handed to the
 * request's `waitUntil`; with no execution context at all (`app.request`, as unit tests call an app) the write
 * still lands — the next request is a hit, not a second backend call — and a failure of deferred work is logged,
 * never thrown. Every response also times its stages for `Server-Timing`, validation, auth and the cache lookup
 * among them.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bindings } from '../test/edge/helpers.ts';
import { createApp } from './app.ts';
import type { BackendClient } from './backend/types.ts';
import { deferDelayMs, deferTo } from './defer.ts';

/** Embeds every text as [1, 0]; counts its calls. */
function countingClient(calls: number[]): BackendClient {
  return {
    url: 'http://backend.test',
    embed: (_, inputs) => {
      calls.push(inputs.length);
      return Promise.resolve(inputs.map(() => Float32Array.from([1, 0])));
    },
    models: () =>
      Promise.resolve([
        { id: 'tiny', modality: 'text', kind: 'embedding', dimension: 2, executionProvider: 'cpu' },
      ]),
    model: (id) =>
      Promise.resolve({ id, modality: 'text', kind: 'embedding', dimension: 2, executionProvider: 'cpu' }),
    ready: () => Promise.resolve(true),
  };
}

function embedding(input: string): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'tiny', input }),
  };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('deferred work', () => {
  it('stores a miss without an execution context: the next request is a hit', async () => {
    const calls: number[] = [];
    const app = createApp({ backend: () => countingClient(calls) });
    const text = `no context ${crypto.randomUUID()}`;
    const miss = await app.request('/v1/embeddings', embedding(text), bindings());
    expect(miss.status).toBe(200);
    expect(miss.headers.get('server-timing')).toMatch(/cache;desc="miss"/);
    const hit = await app.request('/v1/embeddings', embedding(text), bindings());
    expect(hit.headers.get('server-timing')).toMatch(/cache;desc="hit"/);
    expect(await hit.json()).toMatchObject({ data: [{ embedding: [1, 0] }] });
    expect(calls).toEqual([1]);
  });

  it("hands the cache write and the log line to the request's waitUntil, and times the stages", async () => {
    const app = createApp({ backend: () => countingClient([]) });
    const waited: Promise<unknown>[] = [];
    const ctx = {
      waitUntil: (promise: Promise<unknown>) => void waited.push(promise),
      passThroughOnException() {},
      props: {},
    };
    const request = new Request(
      'http://edge.test/v1/embeddings',
      embedding(`context ${crypto.randomUUID()}`),
    );
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));
    const response = await app.fetch(request, bindings(), ctx);
    expect(response.status).toBe(200);
    // The cache write, and the request's log line, which is not written yet.
    expect(waited).toHaveLength(2);
    expect(lines.filter((line) => line.includes('"message":"request"'))).toEqual([]);
    await Promise.all(waited);
    expect(lines.filter((line) => line.includes('"message":"request"'))).toHaveLength(1);
    for (const stage of ['validate', 'auth', 'cache-lookup', 'normalize', 'backend', 'total'])
      expect(response.headers.get('server-timing')).toMatch(new RegExp(`(^|, *)${stage};dur=`));
  });

  it('logs a failure of deferred work instead of throwing it', async () => {
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: unknown) => void errors.push(String(line)));
    const waited: Promise<unknown>[] = [];
    deferTo({ waitUntil: (promise) => void waited.push(promise) })(() =>
      Promise.reject(new Error('disk full')),
    );
    await Promise.all(waited);
    expect(errors.map((line) => JSON.parse(line) as object)).toEqual([
      expect.objectContaining({ level: 'error', message: 'deferred work failed', error: 'disk full' }),
    ]);
  });

  it('starts heavy work deferDelayMs after the answer and a log line one turn after it', async () => {
    const started: string[] = [];
    const waited: Promise<unknown>[] = [];
    const ctx = { waitUntil: (promise: Promise<unknown>) => void waited.push(promise) };
    deferTo(ctx)(() => started.push('cache write'));
    deferTo(ctx, 0)(() => started.push('log line'));
    await Promise.resolve();
    expect(started).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(started).toEqual(['log line']);
    await new Promise((resolve) => setTimeout(resolve, deferDelayMs + 1));
    expect(started).toEqual(['log line', 'cache write']);
    await Promise.all(waited);
  });
});
