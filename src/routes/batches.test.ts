/**
 * @module
 * The Batch API inside workerd on the real bindings (R2, the queue and its dead-letter queue, the batches' Durable
 * Objects), with the backend down: files stored and served back; an input file that breaks a rule fails the batch
 * with the line numbers, before anything is queued; limits; a line that is the client's fault goes to the error
 * file once; lines the backend never answers reach the error file through the dead-letter queue; cancel.
 */
import { describe, expect, it } from 'vitest';
import { createBatch, jsonl, lines, settled, upload, type Call } from '../../test/edge/batches.ts';
import { call, expectOpenAIError } from '../../test/edge/helpers.ts';
import type { Bindings } from '../env.ts';

const callWith =
  (overrides: Partial<Bindings>): Call =>
  (path, init) =>
    call(path, init, overrides);

const embedding = (input: string) => ({ model: 'text-hash-256', input });

describe('files', () => {
  it('stores an upload, describes it, serves its bytes back and deletes it', async () => {
    const text = jsonl('/v1/embeddings', [embedding('a'), embedding('b')]);
    const file = await upload(call, text, 'mine.jsonl');
    expect(file).toMatchObject({
      object: 'file',
      purpose: 'batch',
      filename: 'mine.jsonl',
      status: 'processed',
    });
    expect(file.bytes).toBe(new TextEncoder().encode(text).length);
    expect(await (await call(`/v1/files/${file.id}`)).json()).toEqual(file);
    expect(await (await call(`/v1/files/${file.id}/content`)).text()).toBe(text);
    const listed = (await (await call('/v1/files?limit=100')).json()) as { data: { id: string }[] };
    expect(listed.data.map((item) => item.id)).toContain(file.id);
    const deleted = await call(`/v1/files/${file.id}`, { method: 'DELETE' });
    expect(await deleted.json()).toEqual({ id: file.id, object: 'file', deleted: true });
    await expectOpenAIError(await call(`/v1/files/${file.id}`), 404);
    await expectOpenAIError(await call(`/v1/files/${file.id}/content`), 404);
  });

  it('refuses an upload without a file part, or of another purpose', async () => {
    const form = new FormData();
    form.set('purpose', 'batch');
    form.set('file', 'not a file');
    await expectOpenAIError(await call('/v1/files', { method: 'POST', body: form }), 400);
    const other = new FormData();
    other.set('purpose', 'fine-tune');
    other.set('file', new File(['{}'], 'x.jsonl'));
    const error = await expectOpenAIError(await call('/v1/files', { method: 'POST', body: other }), 400);
    expect(error.param).toBe('purpose');
  });
});

describe('validation before anything is queued', () => {
  it('fails a batch with the number of every bad line, as OpenAI does', async () => {
    const good = (id: string) =>
      JSON.stringify({ custom_id: id, method: 'POST', url: '/v1/embeddings', body: embedding(id) });
    const text = [
      good('a'),
      '{"custom_id": "b", "method": "POST", ',
      '',
      JSON.stringify({ custom_id: 'c', method: 'POST', url: '/v1/classify', body: {} }),
      good('a'),
      JSON.stringify({ method: 'POST', url: '/v1/embeddings', body: {} }),
      JSON.stringify({ custom_id: 'd', method: 'GET', url: '/v1/embeddings', body: {} }),
      good('e'),
    ].join('\r\n');
    const file = await upload(call, text);
    const batch = await createBatch(call, file.id, '/v1/embeddings');
    expect(batch.status).toBe('failed');
    expect(batch.failed_at).toEqual(expect.any(Number));
    expect(batch.request_counts).toEqual({ total: 0, completed: 0, failed: 0 });
    const errors = batch.errors?.data ?? [];
    expect(errors.map(({ line, code }) => [line, code])).toEqual([
      [2, 'invalid_json_line'],
      [4, 'mismatched_url'],
      [5, 'duplicate_custom_id'],
      [6, 'invalid_request'],
      [7, 'invalid_request'],
    ]);
    expect(errors.map((error) => error.param)).toEqual([null, 'url', null, 'custom_id', 'method']);
    expect(await (await call(`/v1/batches/${batch.id}`)).json()).toEqual(batch);
  });

  it('fails a file over the line, line-size or file-size limits', async () => {
    const text = jsonl('/v1/embeddings', [embedding('a'), embedding('b'), embedding('c'.repeat(200))]);
    const check = async (overrides: Partial<Bindings>) => {
      const limited = callWith(overrides);
      const batch = await createBatch(limited, (await upload(limited, text)).id, '/v1/embeddings');
      expect(batch.status).toBe('failed');
      return batch.errors?.data ?? [];
    };
    expect(await check({ BATCH_MAX_LINES: '2' })).toMatchObject([{ code: 'too_many_requests', line: null }]);
    expect(await check({ BATCH_MAX_LINE_BYTES: '150' })).toMatchObject([{ code: 'line_too_large', line: 3 }]);
    expect(await check({ BATCH_MAX_FILE_BYTES: '100' })).toMatchObject([
      { code: 'file_too_large', line: null },
    ]);
    const empty = await createBatch(call, (await upload(call, '\n\n')).id, '/v1/embeddings');
    expect(empty.errors?.data).toMatchObject([{ code: 'empty_file' }]);
  });

  it('refuses a batch for an endpoint it cannot run, or of a file that does not exist', async () => {
    const file = await upload(call, jsonl('/v1/embeddings', [embedding('a')]));
    const post = (body: unknown) =>
      call('/v1/batches', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const wrong = { input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' };
    expect((await expectOpenAIError(await post(wrong), 400)).param).toBe('endpoint');
    const late = { input_file_id: file.id, endpoint: '/v1/embeddings', completion_window: '48h' };
    expect((await expectOpenAIError(await post(late), 400)).param).toBe('completion_window');
    const missing = { input_file_id: 'file-nope', endpoint: '/v1/embeddings', completion_window: '24h' };
    expect((await expectOpenAIError(await post(missing), 404)).code).toBe('unknown-file');
    const items = [{ task: 'none', inputs: { text: 'x' } }];
    const ran = await settled(
      call,
      (await createBatch(call, (await upload(call, jsonl('/v1/classify', items))).id, '/v1/classify')).id,
    );
    const output = { input_file_id: ran.error_file_id, endpoint: '/v1/classify', completion_window: '24h' };
    expect((await expectOpenAIError(await post(output), 400)).code).toBe('invalid-input-file');
  });
});

describe('running batches with the backend down', () => {
  it('writes a line that is the client’s fault to the error file once, without retrying it', async () => {
    const items = [0, 1, 2, 3, 4].map((i) => ({ task: `no-such-task-${i}`, inputs: { text: 'x' } }));
    const file = await upload(call, jsonl('/v1/classify', items));
    const batch = await settled(call, (await createBatch(call, file.id, '/v1/classify')).id);
    expect(batch).toMatchObject({
      status: 'completed',
      request_counts: { total: 5, completed: 0, failed: 5 },
    });
    expect(batch.output_file_id).toBeNull();
    const errors = await lines<{
      custom_id: string;
      response: { status_code: number; body: { code: string } };
    }>(call, batch.error_file_id);
    expect(errors.map((line) => line.custom_id).sort()).toEqual([
      'line-0',
      'line-1',
      'line-2',
      'line-3',
      'line-4',
    ]);
    expect(errors.map((line) => [line.response.status_code, line.response.body.code])).toEqual(
      Array(5).fill([404, 'unknown-task']),
    );
  });

  it('writes the lines the backend never answered to the error file through the dead-letter queue', async () => {
    const file = await upload(call, jsonl('/v1/embeddings', [embedding('x'), embedding('y')]));
    const batch = await settled(call, (await createBatch(call, file.id, '/v1/embeddings')).id);
    expect(batch).toMatchObject({
      status: 'completed',
      request_counts: { total: 2, completed: 0, failed: 2 },
    });
    const errors = await lines<{ custom_id: string; response: null; error: { code: string } }>(
      call,
      batch.error_file_id,
    );
    expect(errors.map((line) => [line.custom_id, line.response, line.error.code])).toEqual([
      ['line-0', null, 'backend_unavailable'],
      ['line-1', null, 'backend_unavailable'],
    ]);
  });

  it('cancels: cancelling at once, cancelled once the chunk in flight is seen', async () => {
    const file = await upload(call, jsonl('/v1/embeddings', [embedding('p'), embedding('q')]));
    const created = await createBatch(call, file.id, '/v1/embeddings');
    const cancelling = (await (
      await call(`/v1/batches/${created.id}/cancel`, { method: 'POST' })
    ).json()) as {
      status: string;
    };
    expect(['cancelling', 'finalizing', 'cancelled']).toContain(cancelling.status);
    const batch = await settled(call, created.id);
    expect(batch).toMatchObject({ status: 'cancelled', request_counts: { total: 2, completed: 0 } });
    expect(batch.cancelled_at).toEqual(expect.any(Number));
    const again = await call(`/v1/batches/${created.id}/cancel`, { method: 'POST' });
    expect(((await again.json()) as { status: string }).status).toBe('cancelled');
  });
});
