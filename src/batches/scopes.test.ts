/**
 * @module
 * Who may remove what of a tenant's bulk work, inside workerd: an `inference` key uploads files, creates batches and
 * reads all of its tenant's, but deletes only the files and cancels only the batches it created itself (403 for
 * another key's, which stay as they were); an `all` key acts on any of its tenant's.
 */
import { describe, expect, it } from 'vitest';
import { createBatch, jsonl, upload } from '../../test/edge/batches.ts';
import { callAs, freshTenant, makeKeys } from '../../test/edge/tenants.ts';

const items = [{ task: 'none', inputs: { text: 'x' } }];

async function tenantKeys() {
  const tenant = freshTenant('shop');
  return makeKeys({
    owner: { tenant },
    ci: { scope: 'inference', tenant },
    other: { scope: 'inference', tenant },
  });
}

describe('an inference key', () => {
  it("deletes its own files only; another key's file stays", async () => {
    const keys = await tenantKeys();
    const [owner, ci, other] = [callAs(keys, 'owner'), callAs(keys, 'ci'), callAs(keys, 'other')];
    const [mine, theirs, owners] = [
      await upload(ci, jsonl('/v1/classify', items)),
      await upload(other, jsonl('/v1/classify', items)),
      await upload(owner, jsonl('/v1/classify', items)),
    ];
    for (const file of [theirs, owners]) {
      expect((await ci(`/v1/files/${file.id}`)).status).toBe(200);
      const refused = await ci(`/v1/files/${file.id}`, { method: 'DELETE' });
      expect(refused.status).toBe(403);
      expect(JSON.stringify(await refused.json())).toContain(keys.name('ci'));
      expect((await ci(`/v1/files/${file.id}`)).status).toBe(200);
    }
    expect((await ci(`/v1/files/${mine.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await owner(`/v1/files/${theirs.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await ci(`/v1/files/${theirs.id}`)).status).toBe(404);
  });

  it("cancels its own batches only; an all key cancels any of its tenant's", async () => {
    const keys = await tenantKeys();
    const [owner, ci, other] = [callAs(keys, 'owner'), callAs(keys, 'ci'), callAs(keys, 'other')];
    const file = await upload(other, jsonl('/v1/classify', items));
    const [theirs, mine] = [
      await createBatch(other, file.id, '/v1/classify'),
      await createBatch(ci, file.id, '/v1/classify'),
    ];
    expect((await ci(`/v1/batches/${theirs.id}`)).status).toBe(200);
    const refused = await ci(`/v1/batches/${theirs.id}/cancel`, { method: 'POST' });
    expect(refused.status).toBe(403);
    expect((await (await ci(`/v1/batches/${theirs.id}`)).json()) as object).not.toMatchObject({
      status: expect.stringMatching(/^cancel/) as unknown,
    });
    // Allowed: cancelled, or 409 when the batch had already ended (its lines fail at once: no task `none`).
    for (const [caller, batch] of [
      [ci, mine],
      [owner, theirs],
    ] as const) {
      const answer = await caller(`/v1/batches/${batch.id}/cancel`, { method: 'POST' });
      expect([200, 409]).toContain(answer.status);
    }
  });

  it('is refused in the OpenAI shape, naming the key, not the secret', async () => {
    const keys = await tenantKeys();
    const file = await upload(callAs(keys, 'owner'), jsonl('/v1/classify', items));
    const refused = await callAs(keys, 'ci')(`/v1/files/${file.id}`, { method: 'DELETE' });
    expect(refused.status).toBe(403);
    const body = (await refused.json()) as { error: { type: string; code: string; message: string } };
    expect(body.error).toMatchObject({ type: 'permission_error', code: 'forbidden' });
    expect(body.error.message).toContain(`${keys.name('ci')} has scope inference`);
    expect(JSON.stringify(body)).not.toContain(keys.secret('ci'));
  });
});
