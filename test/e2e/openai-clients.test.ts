/**
 * @module
 * `/v1/embeddings` through OpenAI's own clients, used unchanged: the `openai` SDK (whose default encoding is
 * base64) and LangChain's `OpenAIEmbeddings`, both given the Worker as their `fetch`.
 */
import { OpenAIEmbeddings } from '@langchain/openai';
import { exports } from 'cloudflare:workers';
import OpenAI from 'openai';
import { describe, expect, inject, it } from 'vitest';
import { bytesOf, dataUrl, defined } from './helpers.ts';

const fixtures = inject('fixtures');
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
});
