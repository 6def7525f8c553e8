/**
 * @module
 * Batch test kit, shared by the edge and e2e tests (imported by tests only): JSONL files of requests, uploads as
 * OpenAI's SDK sends them (multipart), and a poll that waits for a batch's status without a fixed sleep.
 */
import { expect } from 'vitest';
import type { ChunkStart } from '../../src/batches/batch-object.ts';
import type { Batch, FileObject } from '../../src/batches/schema.ts';

export type Call = (path: string, init?: RequestInit) => Promise<Response>;

/**
 * Chunks of these custom_ids for a test that plays the queue's part itself: their messages, which the object
 * still queues, name no tenant, so the real consumer drops them.
 */
export function unqueuedChunks(customIds: readonly (readonly string[])[]): ChunkStart[] {
  let first = 0;
  return customIds.map((ids, chunk) => {
    const message = { tenant: '', batch: '', file: '', chunk, first, lines: [] };
    first += ids.length;
    return { message, customIds: ids };
  });
}

/** One JSONL line per body, `custom_id` `line-<i>`. */
export function jsonl(url: string, bodies: readonly unknown[]): string {
  return bodies
    .map((body, i) => JSON.stringify({ custom_id: `line-${i}`, method: 'POST', url, body }))
    .join('\n');
}

export async function upload(call: Call, text: string | Blob, filename = 'input.jsonl'): Promise<FileObject> {
  const form = new FormData();
  form.set('purpose', 'batch');
  form.set('file', new File([text], filename, { type: 'application/jsonl' }));
  const response = await call('/v1/files', { method: 'POST', body: form });
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as FileObject;
}

export async function createBatch(call: Call, fileId: string, endpoint: string): Promise<Batch> {
  const response = await call('/v1/batches', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ input_file_id: fileId, endpoint, completion_window: '24h' }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as Batch;
}

/** Polls `read` every 100 ms until `done` holds of its value, or fails after `timeoutMs`. */
export async function poll<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`still waiting after ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const ended = new Set(['completed', 'failed', 'expired', 'cancelled']);

export async function settled(call: Call, id: string, timeoutMs?: number): Promise<Batch> {
  const read = async () => (await (await call(`/v1/batches/${id}`)).json()) as Batch;
  return poll(read, (batch) => ended.has(batch.status), timeoutMs);
}

/** A file's JSONL lines, parsed. */
export async function lines<T = Record<string, unknown>>(call: Call, fileId: string | null): Promise<T[]> {
  if (fileId === null) return [];
  const response = await call(`/v1/files/${fileId}/content`);
  expect(response.status).toBe(200);
  // Decoded by hand: workerd warns on `.text()` of a type it does not know as text (application/jsonl).
  return new TextDecoder()
    .decode(await response.arrayBuffer())
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T);
}
