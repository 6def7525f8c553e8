/**
 * @module
 * The Batch API end to end: the Worker in workerd (R2, the queue, the batches' Durable Objects as Miniflare runs
 * them) against a real backend process. OpenAI's own SDK, unchanged, uploads, creates, retrieves, lists, cancels
 * and downloads; every line runs through the same route as a synchronous call (same vectors), reading the embedding
 * cache but never writing it. Then the backend is killed in the middle of a batch and brought back: every line ends
 * in the output file exactly once.
 */
import { exports } from 'cloudflare:workers';
import OpenAI, { toFile } from 'openai';
import { describe, expect, inject, it } from 'vitest';
import { jsonl, poll, type Call } from '../edge/batches.ts';

const controlUrl = inject('batchControlUrl');

function workerFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  return exports.default.fetch(new Request(input, init));
}

const client = new OpenAI({
  apiKey: 'unused-in-open-mode',
  baseURL: 'http://edge.test/v1',
  fetch: workerFetch,
  maxRetries: 0,
});
const call: Call = (path, init) => workerFetch(`http://edge.test${path}`, init);

interface ResultLine {
  readonly custom_id: string;
  readonly response: {
    status_code: number;
    body: { data?: { embedding: number[] }[]; label?: string; usage?: { prompt_tokens: number } };
  } | null;
  readonly error: unknown;
}

async function control(path: string, method = 'POST'): Promise<{ alive: boolean }> {
  const response = await fetch(`${controlUrl}${path}`, { method });
  if (!response.ok) throw new Error(`control ${path}: ${response.status}`);
  return (await response.json()) as { alive: boolean };
}

async function uploadLines(text: string): Promise<OpenAI.FileObject> {
  return client.files.create({
    file: await toFile(new TextEncoder().encode(text), 'lines.jsonl'),
    purpose: 'batch',
  });
}

const ended = (batch: OpenAI.Batch) => ['completed', 'failed', 'expired', 'cancelled'].includes(batch.status);
const settle = (id: string) => poll(() => client.batches.retrieve(id), ended, 90_000);

async function results(fileId: string | undefined | null): Promise<ResultLine[]> {
  if (!fileId) return [];
  const text = await (await client.files.content(fileId)).text();
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ResultLine);
}

const unique = (stem: string) => `${stem} ${crypto.randomUUID()}`;

describe('the openai SDK on the Batch API', () => {
  it('runs an embeddings batch whose lines answer as the synchronous route does', async () => {
    const inputs = Array.from({ length: 6 }, (_, i) => unique(`sentence ${i} about colours`));
    const file = await uploadLines(
      jsonl(
        '/v1/embeddings',
        inputs.map((input) => ({ model: 'text-hash-256', input })),
      ),
    );
    expect(file).toMatchObject({ object: 'file', purpose: 'batch', filename: 'lines.jsonl' });
    expect(await client.files.retrieve(file.id)).toEqual(file);
    const created = await client.batches.create({
      input_file_id: file.id,
      endpoint: '/v1/embeddings',
      completion_window: '24h',
      metadata: { run: 'sdk' },
    });
    expect(created).toMatchObject({ object: 'batch', status: 'in_progress', metadata: { run: 'sdk' } });
    const batch = await settle(created.id);
    expect(batch).toMatchObject({
      status: 'completed',
      request_counts: { total: 6, completed: 6, failed: 0 },
    });
    expect(batch.error_file_id).toBeNull();
    const output = await results(batch.output_file_id);
    expect(output.map((line) => line.custom_id)).toEqual(inputs.map((_, i) => `line-${i}`));
    const direct = await client.embeddings.create({
      model: 'text-hash-256',
      input: inputs[2] ?? '',
      encoding_format: 'float',
    });
    expect(output[2]?.response?.status_code).toBe(200);
    // Batch lines store nothing in the cache, so the direct call is computed again, alone: the backend's batched
    // and single inference agree to float rounding, not bit for bit.
    const [lined, alone] = [
      output[2]?.response?.body.data?.[0]?.embedding ?? [],
      direct.data[0]?.embedding ?? [],
    ];
    expect(lined).toHaveLength(256);
    expect(Math.max(...lined.map((value, i) => Math.abs(value - (alone[i] ?? Number.NaN))))).toBeLessThan(
      1e-6,
    );
    const tokens = output.reduce((sum, line) => sum + (line.response?.body.usage?.prompt_tokens ?? 0), 0);
    expect(tokens).toBe(inputs.reduce((sum, input) => sum + input.split(' ').length, 0));
    expect(batch.usage).toEqual({
      input_tokens: tokens,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 0,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: tokens,
    });
    const listed = await client.batches.list({ limit: 100 });
    expect(listed.data.map((item) => item.id)).toContain(batch.id);
  });

  it('reads the embedding cache, writes nothing to it, and reports what it found as cached tokens', async () => {
    const embed = (input: string) =>
      call('/v1/embeddings', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'text-hash-256', input }),
      });
    const [seen, fresh] = [unique('seen before in a sync call'), unique('only in the batch')];
    const before = await embed(seen);
    expect(before.headers.get('server-timing')).toMatch(/cache;desc="miss"/);
    const vector = ((await before.json()) as { data: { embedding: number[] }[] }).data[0]?.embedding;
    const lines = [seen, fresh, seen].map((input) => ({ model: 'text-hash-256', input }));
    const created = await client.batches.create({
      input_file_id: (await uploadLines(jsonl('/v1/embeddings', lines))).id,
      endpoint: '/v1/embeddings',
      completion_window: '24h',
    });
    const batch = await settle(created.id);
    expect(batch.request_counts).toEqual({ total: 3, completed: 3, failed: 0 });
    const output = await results(batch.output_file_id);
    expect(output[0]?.response?.body.data?.[0]?.embedding).toEqual(vector);
    const words = (text: string) => text.split(' ').length;
    // The two lines of `seen` were answered from the cache; `fresh` was not, and was not stored either.
    expect(batch.usage?.input_tokens).toBe(2 * words(seen) + words(fresh));
    expect(batch.usage?.input_tokens_details.cached_tokens).toBe(2 * words(seen));
    const after = await embed(fresh);
    expect(after.status).toBe(200);
    expect(after.headers.get('server-timing')).toMatch(/cache;desc="miss"/);
  });

  it('runs a classify batch with a taught task, a line naming a missing task in the error file', async () => {
    const task = `colours-${crypto.randomUUID().slice(0, 8)}`;
    const json = (body: unknown) => ({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    // The one model this project's backend serves.
    const modalities = { text: { model: 'text-hash-256' }, image: false, audio: false, html: false };
    expect((await call('/v1/tasks', json({ id: task, labels: ['red', 'blue'], modalities }))).status).toBe(
      201,
    );
    const examples = ['a red apple', 'red roses', 'a blue sky', 'the deep blue sea'].map((text) => ({
      label: text.includes('red') ? 'red' : 'blue',
      inputs: { text },
    }));
    const taught = await call(`/v1/tasks/${task}/examples`, json({ examples }));
    expect(taught.status, await taught.clone().text()).toBe(200);
    const items = [
      { task, inputs: { text: 'red cherries' } },
      { task: `${task}-missing`, inputs: { text: 'x' } },
    ];
    const file = await uploadLines(jsonl('/v1/classify', items));
    // '/v1/classify' is ModalFuse's, not in the SDK's list of OpenAI endpoints.
    const endpoint = '/v1/classify' as OpenAI.BatchCreateParams['endpoint'];
    const created = await client.batches.create({
      input_file_id: file.id,
      endpoint,
      completion_window: '24h',
    });
    const batch = await settle(created.id);
    expect(batch.request_counts).toEqual({ total: 2, completed: 1, failed: 1 });
    const [good] = await results(batch.output_file_id);
    expect(good?.response?.body.label).toBe('red');
    const [bad] = await results(batch.error_file_id);
    expect(bad).toMatchObject({ custom_id: 'line-1', response: { status_code: 404 }, error: null });
  });
});

describe('a backend killed in the middle of a batch', () => {
  it('loses no line and records none twice; a batch cancelled meanwhile ends cancelled', async () => {
    const total = 24;
    const inputs = Array.from({ length: total }, (_, i) => unique(`line ${i}`));
    await control('/kill-after/3');
    const file = await uploadLines(
      jsonl(
        '/v1/embeddings',
        inputs.map((input) => ({ model: 'text-hash-256', input })),
      ),
    );
    const batch = await client.batches.create({
      input_file_id: file.id,
      endpoint: '/v1/embeddings',
      completion_window: '24h',
    });
    await poll(
      () => control('/state', 'GET'),
      (state) => !state.alive,
    );
    const doomed = await uploadLines(
      jsonl('/v1/embeddings', [{ model: 'text-hash-256', input: unique('never') }]),
    );
    const other = await client.batches.create({
      input_file_id: doomed.id,
      endpoint: '/v1/embeddings',
      completion_window: '24h',
    });
    expect(['cancelling', 'cancelled']).toContain((await client.batches.cancel(other.id)).status);
    const midway = await client.batches.retrieve(batch.id);
    expect(midway.status).toBe('in_progress');
    expect(midway.request_counts?.completed).toBeLessThan(total);
    await control('/restart');
    const done = await settle(batch.id);
    const lines = [...(await results(done.output_file_id)), ...(await results(done.error_file_id))];
    const counts = new Map<string, number>();
    for (const line of lines) counts.set(line.custom_id, (counts.get(line.custom_id) ?? 0) + 1);
    expect(counts.size).toBe(total);
    expect([...counts.values()].every((count) => count === 1)).toBe(true);
    expect(done).toMatchObject({
      status: 'completed',
      request_counts: { total, completed: total, failed: 0 },
      usage: { input_tokens: inputs.reduce((sum, input) => sum + input.split(' ').length, 0) },
    });
    expect((await settle(other.id)).status).toBe('cancelled');
  });
});
