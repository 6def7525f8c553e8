/**
 * @module
 * The edge embedding cache against a real backend that is then killed: a hit is answered (the same vector) with
 * no backend at all, canonically equal inputs share an entry, and a miss still needs the backend.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { expectOpenAIError, fetchWorker } from './helpers.ts';

const controlUrl = inject('backendControlUrl');
let backend = { id: -1, url: '' };

async function control<T>(path: string): Promise<T> {
  const response = await fetch(`${controlUrl}${path}`, { method: 'POST' });
  if (!response.ok) throw new Error(`control ${path}: ${response.status}`);
  return (await response.json()) as T;
}

function embed(input: string | string[]): Promise<Response> {
  const request = new Request('http://edge.test/v1/embeddings', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'text-hash-256', input }),
  });
  return fetchWorker(request, { ...env, BACKEND_URL: backend.url });
}

async function vectorsOf(response: Response): Promise<number[][]> {
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: { embedding: number[] }[] }).data.map((item) => item.embedding);
}

const unique = crypto.randomUUID();
const composed = `caf\u00e9 ${unique}`;
const decomposed = `cafe\u0301 ${unique}`;

beforeAll(async () => {
  backend = await control('/backends');
});

describe('the embedding cache', () => {
  it('answers a hit with no backend, and a miss only with one', async () => {
    const first = await embed([composed, `other ${unique}`]);
    expect(first.headers.get('server-timing')).toMatch(/cache;desc="miss"/);
    const before = await vectorsOf(first);

    await control(`/backends/${backend.id}/kill`);

    const again = await embed(decomposed);
    expect(again.headers.get('server-timing')).toMatch(/cache;desc="hit",cache-hits;desc="1\/1"/);
    expect(await vectorsOf(again)).toEqual([before[0]]);

    const partial = await embed([composed, `never seen ${unique}`]);
    await expectOpenAIError(partial, 503);
    expect(partial.headers.get('server-timing')).toMatch(/cache;desc="partial"/);
  });
});
