/**
 * @module
 * The KServe client splits an embed of more inputs than the model's `max_batch_size` (its metadata parameter,
 * else `BACKEND_MODELS`, else 32) into calls of at most that many, four at a time, answers in the inputs' order,
 * and renumbers a part's refused items so that they name inputs of the whole call.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CanonicalInput } from '../../adapters/types.ts';
import type { InferRequest, ModelMetadata, Parameters } from '../../gpu-backend/protocol/types.ts';
import { BackendInputError } from './errors.ts';
import { createKServeClient, createMetadataCache } from './kserve.ts';

function metadataWith(parameters: Parameters | undefined): ModelMetadata {
  return {
    name: 'tiny',
    versions: ['1'],
    platform: 'onnxruntime_onnx',
    inputs: [{ name: 'raw', datatype: 'BYTES', shape: [-1] }],
    outputs: [{ name: 'embedding', datatype: 'FP32', shape: [-1, 1] }],
    ...(parameters === undefined ? {} : { parameters }),
  };
}

interface Backend {
  readonly batches: number[];
  maxInFlight: number;
}

/** Each input's embedding is its number (the text), so that order is checked; `refuse` is refused by name. */
function fakeBackend(parameters: Parameters | undefined, refuse?: string): Backend {
  const seen: Backend = { batches: [], maxInFlight: 0 };
  let inFlight = 0;
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    if (!request.url.endsWith('/infer')) return Response.json(metadataWith(parameters));
    const body = (await request.json()) as InferRequest;
    const values = (body.inputs[0]?.data as string[]).map((item) => atob(item));
    seen.batches.push(values.length);
    inFlight++;
    seen.maxInFlight = Math.max(seen.maxInFlight, inFlight);
    await new Promise((resolve) => setTimeout(resolve, 5));
    inFlight--;
    const refused = values.indexOf(refuse ?? '');
    if (refused >= 0) {
      const items = [{ index: refused, error: 'not a number', code: 'malformed' }];
      return Response.json({ error: 'refused', code: 'malformed', items }, { status: 400 });
    }
    const data = values.map(Number);
    return Response.json({
      outputs: [{ name: 'embedding', datatype: 'FP32', shape: [data.length, 1], data }],
    });
  });
  return seen;
}

const texts = (count: number): CanonicalInput[] =>
  Array.from({ length: count }, (_, i) => ({
    modality: 'text',
    bytes: new TextEncoder().encode(String(i)),
    mimeType: 'text/plain',
    meta: {},
  }));

const client = (configured?: Map<string, Parameters>) =>
  createKServeClient('http://backend.test', { metadata: createMetadataCache(), configured });

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('an embed over the model’s max_batch_size', () => {
  it('goes in calls of at most max_batch_size, four at a time, answered in order', async () => {
    const seen = fakeBackend({ modality: 'text', max_batch_size: 3 });
    const vectors = await client().embed('tiny', texts(20));
    expect(vectors.map((vector) => vector[0])).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(seen.batches).toEqual([3, 3, 3, 3, 3, 3, 2]);
    expect(seen.maxInFlight).toBe(4);
  });

  it('is one call when it fits', async () => {
    const seen = fakeBackend({ modality: 'text', max_batch_size: 3 });
    await client().embed('tiny', texts(3));
    expect(seen.batches).toEqual([3]);
  });

  it('takes BACKEND_MODELS’s max_batch_size for a server that says none, else 32', async () => {
    const seen = fakeBackend(undefined);
    await client(new Map([['tiny', { modality: 'text', max_batch_size: 5 }]])).embed('tiny', texts(12));
    expect(seen.batches).toEqual([5, 5, 2]);
    const plain = fakeBackend({ modality: 'text' });
    await client().embed('tiny', texts(70));
    expect(plain.batches).toEqual([32, 32, 6]);
  });

  it('names a refused input by its place in the whole call', async () => {
    fakeBackend({ modality: 'text', max_batch_size: 4 }, '9');
    const refusal = client().embed('tiny', texts(12));
    await expect(refusal).rejects.toBeInstanceOf(BackendInputError);
    await expect(refusal).rejects.toMatchObject({ items: [{ index: 9, code: 'malformed' }] });
  });
});
