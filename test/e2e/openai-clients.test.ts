/**
 * @module
 * `/v1/embeddings` and `/v1/models` through OpenAI's own clients, used unchanged: the `openai` SDK (whose default
 * encoding is base64) and LangChain's `OpenAIEmbeddings` at its defaults (512 inputs a request), both given the
 * Worker as their `fetch`; the backend's own `/metrics` shows how many infer calls the edge made.
 */
import { OpenAIEmbeddings } from '@langchain/openai';
import { env, exports } from 'cloudflare:workers';
import OpenAI from 'openai';
import { describe, expect, inject, it } from 'vitest';
import { bytesOf, dataUrl, defined, fetchWorker } from './helpers.ts';

const fixtures = inject('fixtures');
const backendUrl = inject('backendUrl');
const baseURL = 'http://edge.test/v1';

/** The Worker in-process, as the clients' transport. */
function workerFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  return exports.default.fetch(new Request(input, init));
}

const client = new OpenAI({ apiKey: 'unused-in-open-mode', baseURL, fetch: workerFetch, maxRetries: 0 });

const norm = (vector: readonly number[]) => Math.hypot(...vector);

describe('the openai SDK', () => {
  it('embeds with its default base64 encoding and decodes float32 vectors', async () => {
    const result = await client.embeddings.create({ model: 'text-hash-256', input: ['a cat', 'a dog'] });
    expect(result.data.map((item) => item.index)).toEqual([0, 1]);
    const vector = defined(result.data[0], 'an embedding').embedding;
    expect(vector).toHaveLength(256);
    expect(norm(vector)).toBeCloseTo(1, 4);
    expect(result.usage).toEqual({ prompt_tokens: 4, total_tokens: 4 });
  });

  it('gets the same vector as float and as base64 (which it hands back undecoded when asked explicitly)', async () => {
    const request = { model: 'text-hash-256', input: 'the same words' } as const;
    const floats = await client.embeddings.create({ ...request, encoding_format: 'float' });
    const packed = await client.embeddings.create({ ...request, encoding_format: 'base64' });
    const a = defined(floats.data[0], 'a float embedding').embedding;
    const b = defined(packed.data[0], 'a base64 embedding').embedding as unknown as string;
    const decoded = new Float32Array(bytesOf(b).buffer);
    expect(decoded).toHaveLength(a.length);
    decoded.forEach((value, i) => expect(value).toBeCloseTo(a[i] ?? Number.NaN, 6));
  });

  it('truncates to `dimensions` and renormalises', async () => {
    const result = await client.embeddings.create({ model: 'text-hash-256', input: 'short', dimensions: 64 });
    const vector = defined(result.data[0], 'an embedding').embedding;
    expect(vector).toHaveLength(64);
    expect(norm(vector)).toBeCloseTo(1, 4);
  });

  it('embeds an image given as a data URL, naming its modality in an extra body field', async () => {
    const item = defined(fixtures[0], 'an image fixture');
    const result = await client.embeddings.create({
      model: 'mobilenetv2-int8',
      input: [dataUrl(item.imageType, item.image)],
      // @ts-expect-error `modality` is ModalFuse's extension, unknown to OpenAI's types.
      modality: 'image',
    });
    expect(defined(result.data[0], 'an embedding').embedding).toHaveLength(1280);
  });

  it('lists the models', async () => {
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(expect.arrayContaining(['text-hash-256', 'mobilenetv2-int8', 'speech-embedding']));
  });

  it('retrieves one model, with `created` from its file, and raises a 404 for an unknown one', async () => {
    const model = await client.models.retrieve('text-hash-256');
    expect(model).toMatchObject({ id: 'text-hash-256', object: 'model', owned_by: 'modalfuse' });
    expect(model.created).toBeGreaterThan(Date.UTC(2020, 0) / 1000);
    expect(model.created).toBeLessThanOrEqual(Date.now() / 1000);
    const listed = [];
    for await (const entry of client.models.list()) listed.push(entry);
    expect(listed.find((entry) => entry.id === 'text-hash-256')).toEqual(model);
    await expect(client.models.retrieve('silero-vad')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(client.models.retrieve('no-such-model')).rejects.toMatchObject({ status: 404 });
  });

  it('embeds 2048 inputs, OpenAI’s limit, in order', async () => {
    // Without the edge cache: Miniflare's Cache API takes about 20 ms an entry, 40 s for these.
    const uncached = (input: string | URL | Request, init?: RequestInit) =>
      fetchWorker(new Request(input, init), { ...env, EMBEDDING_CACHE_TTL_SECONDS: '0' });
    const sdk = new OpenAI({ apiKey: 'unused-in-open-mode', baseURL, fetch: uncached, maxRetries: 0 });
    const input = Array.from({ length: 2048 }, (_, i) => `item ${i} ${i % 7 === 0 ? 'seven' : 'other'}`);
    const result = await sdk.embeddings.create({ model: 'text-hash-256', input, encoding_format: 'float' });
    expect(result.data.map((item) => item.index)).toEqual(input.map((_, i) => i));
    const single = await sdk.embeddings.create({ model: 'text-hash-256', input: input[1234] ?? '' });
    const [alone, batched] = [single.data[0]?.embedding ?? [], result.data[1234]?.embedding ?? []];
    expect(batched).toHaveLength(256);
    alone.forEach((value, i) => expect(batched[i]).toBeCloseTo(value, 6));
  });

  it('raises OpenAI errors with status, type, code and param', async () => {
    const unknown = client.embeddings.create({ model: 'no-such-model', input: 'x' });
    await expect(unknown).rejects.toMatchObject({
      status: 404,
      type: 'invalid_request_error',
      code: 'unknown-model',
    });
    const tooMany = client.embeddings.create({ model: 'text-hash-256', input: 'x', dimensions: 4096 });
    await expect(tooMany).rejects.toMatchObject({ status: 400, code: 'invalid-dimensions' });
    const badInput = client.embeddings.create({ model: 'text-hash-256', input: [] });
    await expect(badInput).rejects.toMatchObject({ status: 400, code: 'invalid-request', param: 'input' });
    await expect(badInput).rejects.toBeInstanceOf(OpenAI.BadRequestError);
  });

  it('raises a 4xx for an image model given a broken image', async () => {
    const broken = client.embeddings.create({
      model: 'mobilenetv2-int8',
      input: 'data:image/png;base64,iVBORw0KGgo=',
    });
    await expect(broken).rejects.toMatchObject({ type: 'invalid_request_error' });
  });
});

/** Infer calls the backend has served for `model`, from its Prometheus `/metrics`. */
async function inferCalls(model: string): Promise<number> {
  const text = await (await fetch(`${backendUrl}/metrics`)).text();
  const line = text
    .split('\n')
    .find((entry) => entry.startsWith(`nv_inference_request_success{model="${model}"`));
  return Number(line?.split(' ').pop() ?? Number.NaN);
}

describe('LangChain OpenAIEmbeddings', () => {
  const embeddings = new OpenAIEmbeddings({
    model: 'text-hash-256',
    apiKey: 'unused-in-open-mode',
    maxRetries: 0,
    configuration: { baseURL, fetch: workerFetch },
  });

  it('embeds documents and a query', async () => {
    const documents = await embeddings.embedDocuments(['red apple', 'green pear', 'blue sea']);
    expect(documents).toHaveLength(3);
    expect(documents.every((vector) => vector.length === 256)).toBe(true);
    const query = await embeddings.embedQuery('red apple');
    expect(query).toHaveLength(256);
    defined(documents[0], 'a document vector').forEach((value, i) => expect(query[i]).toBeCloseTo(value, 5));
  });

  it('embeds 600 documents at its defaults (512 a request), each request split into the model’s batches', async () => {
    const seen: number[] = [];
    const counting = (input: string | URL | Request, init?: RequestInit) => {
      seen.push((JSON.parse(String(init?.body)) as { input: unknown[] }).input.length);
      return workerFetch(input, init);
    };
    const atDefaults = new OpenAIEmbeddings({
      model: 'text-hash-256',
      apiKey: 'unused-in-open-mode',
      maxRetries: 0,
      configuration: { baseURL, fetch: counting },
    });
    const texts = Array.from({ length: 600 }, (_, i) => `document ${i} ${crypto.randomUUID()}`);
    const before = await inferCalls('text-hash-256');
    const vectors = await atDefaults.embedDocuments(texts);
    expect(seen).toEqual([512, 88]);
    expect(vectors).toHaveLength(600);
    expect(vectors.every((vector) => vector.length === 256)).toBe(true);
    // text-hash-256's max_batch_size is 32: 16 + 3 calls.
    expect((await inferCalls('text-hash-256')) - before).toBe(19);
  });
});
