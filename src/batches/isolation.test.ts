/**
 * @module
 * Batches and files belong to a tenant: on every route another tenant's file or batch answers exactly as a missing
 * one (the same 404 body) and stays as it was, and lists show the caller's own only. A batch's object records each
 * line's result (and its tokens) once, whatever is redelivered.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createBatch, jsonl, lines, poll, settled, unqueuedChunks, upload } from '../../test/edge/batches.ts';
import { callAs, freshTenant, makeKeys, type Call } from '../../test/edge/tenants.ts';
import { Tenant } from '../tenants/tenant.ts';
import { FileStore } from './files.ts';
import { newBatchId, newFileId } from './ids.ts';
import { newRecord } from './store.ts';

/** Status and body with what differs per request and per id taken out. */
async function answer(response: Response, id: string): Promise<unknown> {
  const body = (await response.json()) as { error: Record<string, unknown> };
  const error = Object.fromEntries(Object.entries(body.error).filter(([key]) => key !== 'requestId'));
  return {
    status: response.status,
    error: JSON.parse(JSON.stringify(error).replaceAll(id, 'ID')) as unknown,
  };
}

const post = (body?: unknown): RequestInit =>
  body === undefined
    ? { method: 'POST' }
    : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };

describe('tenants', () => {
  it("answers another tenant's file or batch exactly as a missing one, and changes nothing", async () => {
    const keys = await makeKeys({
      alice: { tenant: freshTenant('alice') },
      bob: { tenant: freshTenant('bob') },
    });
    const [alice, bob] = [callAs(keys, 'alice'), callAs(keys, 'bob')];
    const items = [{ task: 'none', inputs: { text: 'x' } }];
    const file = await upload(alice, jsonl('/v1/classify', items));
    const batch = await createBatch(alice, file.id, '/v1/classify');
    const [missingFile, missingBatch] = [newFileId(), newBatchId()];
    const probes: [string, (id: string) => [string, RequestInit?], string, string][] = [
      ['file', (id) => [`/v1/files/${id}`], file.id, missingFile],
      ['content', (id) => [`/v1/files/${id}/content`], file.id, missingFile],
      ['delete', (id) => [`/v1/files/${id}`, { method: 'DELETE' }], file.id, missingFile],
      [
        'batch of the file',
        (id) => [
          '/v1/batches',
          post({ input_file_id: id, endpoint: '/v1/classify', completion_window: '24h' }),
        ],
        file.id,
        missingFile,
      ],
      ['batch', (id) => [`/v1/batches/${id}`], batch.id, missingBatch],
      ['cancel', (id) => [`/v1/batches/${id}/cancel`, post()], batch.id, missingBatch],
    ];
    for (const [name, request, theirs, missing] of probes) {
      const stranger = await answer(await bob(...request(theirs)), theirs);
      const absent = await answer(await bob(...request(missing)), missing);
      expect({ name, ...(stranger as object) }).toEqual({ name, ...(absent as object) });
      expect(stranger).toMatchObject({ status: 404 });
    }
    const listed = async (caller: Call, what: string) =>
      ((await (await caller(`/v1/${what}?limit=100`)).json()) as { data: { id: string }[] }).data.map(
        (item) => item.id,
      );
    expect(await listed(bob, 'files')).not.toContain(file.id);
    expect(await listed(bob, 'batches')).not.toContain(batch.id);
    expect(await listed(alice, 'files')).toContain(file.id);
    expect(await listed(alice, 'batches')).toEqual([batch.id]);
    const ended = await settled(alice, batch.id);
    expect(ended).toMatchObject({ status: 'completed', request_counts: { total: 1, failed: 1 } });
    expect(await lines(alice, ended.error_file_id)).toHaveLength(1);
    await expect(lines(bob, ended.error_file_id)).rejects.toThrow();
  });

  it('pages batches newest first with after, first_id, last_id and has_more', async () => {
    const keys = await makeKeys({ carol: { tenant: freshTenant('carol') } });
    const carol = callAs(keys, 'carol');
    const file = await upload(carol, jsonl('/v1/classify', [{ task: 'none', inputs: { text: 'x' } }]));
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.unshift((await createBatch(carol, file.id, '/v1/classify')).id);
    const page = async (query: string) =>
      (await (await carol(`/v1/batches?${query}`)).json()) as Record<string, unknown>;
    const first = await page('limit=2');
    expect(first).toMatchObject({ object: 'list', first_id: ids[0], last_id: ids[1], has_more: true });
    const second = await page(`limit=2&after=${ids[1]}`);
    expect(second).toMatchObject({ first_id: ids[2], last_id: ids[2], has_more: false });
    expect((second.data as unknown[]).length).toBe(1);
  });
});

describe("a batch's object", () => {
  it('records each line once, whatever is redelivered, its tokens too, and finalizes once all have results', async () => {
    const tenant = Tenant.of(freshTenant('dave')) as Tenant;
    const record = newRecord(
      tenant,
      { input_file_id: newFileId(), endpoint: '/v1/embeddings', completion_window: '24h' },
      {
        ok: true,
        lines: [],
      },
    );
    const object = env.BATCH_OBJECTS.getByName(tenant.ownedName(record.id));
    await object.start(record, unqueuedChunks([['a', 'b']]));
    expect(await object.claim(0)).toEqual({ run: true, done: [] });
    await object.record(
      0,
      [{ line: 0, outcome: 'output', text: '"first"', tokens: 7, cachedTokens: 3 }],
      false,
    );
    expect(await object.claim(0)).toEqual({ run: true, done: [0] });
    await object.record(
      0,
      [
        { line: 0, outcome: 'output', text: '"again"', tokens: 100, cachedTokens: 100 },
        { line: 1, outcome: 'error', text: '"e"' },
      ],
      true,
    );
    await object.record(0, [{ line: 1, outcome: 'output', text: '"late"' }], true);
    const done = await poll(
      () => object.view(),
      (view) => view?.status === 'completed',
    );
    expect(done?.request_counts).toEqual({ total: 2, completed: 1, failed: 1 });
    expect(done?.usage).toEqual({
      input_tokens: 7,
      input_tokens_details: { cached_tokens: 3 },
      output_tokens: 0,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 7,
    });
    const content = async (id: string | null | undefined) =>
      (await new FileStore(env.BATCH_FILES, tenant).content(id ?? '')).text();
    expect(await content(done?.output_file_id)).toBe('"first"\n');
    expect(await content(done?.error_file_id)).toBe('"e"\n');
  });
});
