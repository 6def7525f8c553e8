/**
 * @module
 * Tenants kept apart inside workerd, on the real Durable Objects: on every route that takes a task id another
 * tenant's task answers exactly as a missing one and stays as it was; two tenants' tasks of one id take concurrent
 * writes without meeting; listing pages show the caller's tasks only; tasks stored before tenants (open mode, bare
 * names) stay with the public tenant; a lost index report goes back to its own tenant's index.
 */
import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, expectProblem, postJson } from '../../test/edge/helpers.ts';
import { callAs, freshTenant, makeKeys, probeTaskRoutes, type Call } from '../../test/edge/tenants.ts';
import { taskIndexName } from '../tasks/addresses.ts';
import type { EmbeddedExample } from '../tasks/examples.ts';
import type { TaskView } from '../tasks/schema.ts';
import { TaskStore } from '../tasks/store.ts';
import { Tenant } from './tenant.ts';

async function create(caller: Call, id: string, labels = ['red', 'blue']): Promise<TaskView> {
  const response = await caller('/v1/tasks', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id, labels, modalities: { image: false, audio: false, html: false } }),
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as TaskView;
}

const storeOf = (tenant: string) => new TaskStore(env, Tenant.of(tenant) as Tenant);

/** Text examples with 3-d embeddings, one per label, `n` making them recognisable. */
function examples(labels: readonly string[], n: number): EmbeddedExample[] {
  return labels.map((label, i) => ({ modality: 'text', index: i, label, embedding: [1, n, i] }));
}

/** Adds text examples as the examples route does once they are embedded (the edge tests have no backend). */
async function taught(tenant: string, id: string, labels: readonly string[], n: number) {
  const models = { text: (await storeOf(tenant).require(id)).modalities.text?.model ?? 'none' };
  return storeOf(tenant).apply(id, { kind: 'add-examples', examples: examples(labels, n), models });
}

async function viewOf(
  caller: Call,
  id: string,
): Promise<{ status: number; view: unknown; etag: string | null }> {
  const response = await caller(`/v1/tasks/${id}`);
  return { status: response.status, view: await response.json(), etag: response.headers.get('etag') };
}

describe("another tenant's task", () => {
  it('answers on every route exactly as a missing task, and stays as it was', async () => {
    const [owner, stranger] = [freshTenant('alice'), freshTenant('bob')];
    // Two keys of one stranger, each under the edge project's rate limit (20 a minute) for one pass of the routes.
    const keys = await makeKeys({
      alice: { tenant: owner },
      bob: { tenant: stranger },
      bob2: { tenant: stranger },
    });
    const alice = callAs(keys, 'alice');
    const id = 'reviews';
    const missing = await probeTaskRoutes(callAs(keys, 'bob'), id, 2, keys.auth('bob'));
    expect(missing.map((answer) => answer.status)).toEqual(missing.map(() => 404));
    expect(missing.filter((answer) => answer.route !== 'head').map((answer) => answer.body)).toEqual(
      missing
        .filter((answer) => answer.route !== 'head')
        .map(() => expect.objectContaining({ code: 'unknown-task' })),
    );

    await create(alice, id);
    const { task } = await taught(owner, id, ['red', 'blue'], 1);
    const before = await viewOf(alice, id);
    expect(before).toMatchObject({ status: 200, etag: `"${task.version}"` });

    expect(await probeTaskRoutes(callAs(keys, 'bob2'), id, task.version, keys.auth('bob2'))).toEqual(missing);
    expect(await viewOf(alice, id)).toEqual(before);
  });
});

describe('two tenants with one task id', () => {
  it('keep concurrent writes apart', async () => {
    const [a, b] = [freshTenant('alice'), freshTenant('bob')];
    const keys = await makeKeys({ alice: { tenant: a }, bob: { tenant: b } });
    const labels = { [a]: ['red', 'blue'], [b]: ['cat', 'dog', 'bird'] };
    await create(callAs(keys, 'alice'), 'twin', labels[a]);
    await create(callAs(keys, 'bob'), 'twin', labels[b]);
    const writes = 12;
    const results = await Promise.all(
      Array.from({ length: 2 * writes }, (_, n) => {
        const tenant = n % 2 === 0 ? a : b;
        return taught(tenant, 'twin', labels[tenant] ?? [], n);
      }),
    );
    expect(results.map((result) => result.task.version).sort((x, y) => x - y)).toEqual(
      Array.from({ length: writes }, (_, i) => [i + 2, i + 2]).flat(),
    );
    for (const [name, tenant] of [
      ['alice', a],
      ['bob', b],
    ] as const) {
      const { view } = (await viewOf(callAs(keys, name), 'twin')) as { view: TaskView };
      const counts = Object.fromEntries((labels[tenant] ?? []).map((label) => [label, writes]));
      expect(view).toMatchObject({ labels: labels[tenant], version: 1 + writes });
      expect(view.modalities.text?.prototype.counts).toEqual(counts);
    }
  });
});

/** Every id of the caller's listing, `limit` at a time; also how many pages it took. */
async function listAll(caller: Call, limit: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const query = `limit=${limit}${cursor === undefined ? '' : `&cursor=${cursor}`}`;
    const page = (await (await caller(`/v1/tasks?${query}`)).json()) as {
      data: { id: string }[];
      cursor?: string;
    };
    ids.push(...page.data.map((summary) => summary.id));
    cursor = page.cursor;
    pages++;
  } while (cursor !== undefined);
  return { ids, pages };
}

describe('listing', () => {
  it("pages through the caller's tasks only", async () => {
    const keys = await makeKeys({
      alice: { tenant: freshTenant('alice') },
      bob: { tenant: freshTenant('bob') },
    });
    const own = { alice: ['page-1', 'page-2', 'page-3', 'page-4', 'page-5'], bob: ['other-1', 'page-2'] };
    for (const [name, ids] of Object.entries(own)) for (const id of ids) await create(callAs(keys, name), id);
    expect(await listAll(callAs(keys, 'alice'), 2)).toEqual({ ids: own.alice, pages: 3 });
    expect(await listAll(callAs(keys, 'bob'), 1)).toEqual({ ids: own.bob, pages: 2 });
    // Open mode is the public tenant, whose listing has none of theirs.
    expect((await listAll(call, 1000)).ids).not.toContain('page-5');
  });
});

describe('the public tenant', () => {
  it('keeps the tasks stored before tenants under their bare names', async () => {
    const id = `legacy-${crypto.randomUUID().slice(0, 8)}`;
    const response = await postJson('/v1/tasks', { id, labels: ['red', 'blue'] });
    expect(response.status).toBe(201);
    const stored = await runInDurableObject(env.TASK_OBJECTS.getByName(id), (instance) => instance.read());
    expect(stored?.id).toBe(id);
    const keys = await makeKeys({ legacy: { tenant: 'public' }, alice: { tenant: freshTenant('alice') } });
    expect((await viewOf(callAs(keys, 'legacy'), id)).status).toBe(200);
    expect((await listAll(callAs(keys, 'legacy'), 1000)).ids).toContain(id);
    expect((await viewOf(callAs(keys, 'alice'), id)).status).toBe(404);
  });
});

describe('a task named in a body', () => {
  it("is a task id, so a public key cannot name another tenant's task object", async () => {
    const tenant = freshTenant('alice');
    const keys = await makeKeys({ alice: { tenant }, legacy: { tenant: 'public' } });
    await create(callAs(keys, 'alice'), 'reviews');
    const owned = `${tenant}/reviews`;
    const legacy = callAs(keys, 'legacy');
    for (const body of [
      { task: owned, inputs: { text: 'a red apple' } },
      { task: owned, items: [{ inputs: { text: 'a red apple' } }] },
    ]) {
      const init = {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      };
      expect((await expectProblem(await legacy('/v1/classify', init), 400)).detail).toContain('task');
    }
    const form = new FormData();
    form.set('task', owned);
    form.set('text', 'a red apple');
    await expectProblem(await legacy('/v1/classify', { method: 'POST', body: form }), 400);
    // And below the routes: the public tenant's store refuses a name that is not a task id.
    await expect(storeOf('public').classifyHeads(owned)).rejects.toMatchObject({ status: 404 });
    await expect(storeOf('public').require(owned)).rejects.toMatchObject({ status: 404 });
  });
});

describe("a tenant's index", () => {
  it("gets a lost report back from the task object's alarm", async () => {
    const tenant = freshTenant('alice');
    const keys = await makeKeys({ alice: { tenant } });
    await create(callAs(keys, 'alice'), 'lost');
    const owner = Tenant.of(tenant) as Tenant;
    await runInDurableObject(env.TASK_INDEX.getByName(taskIndexName(owner)), (_, state) => {
      state.storage.sql.exec('DELETE FROM tasks');
    });
    expect((await listAll(callAs(keys, 'alice'), 10)).ids).toEqual([]);
    const object = env.TASK_OBJECTS.getByName(owner.ownedName('lost'));
    await runInDurableObject(object, async (instance, state) => {
      state.storage.sql.exec('INSERT INTO index_pending (id) VALUES (?)', owner.ownedName('lost'));
      await instance.alarm();
    });
    expect((await listAll(callAs(keys, 'alice'), 10)).ids).toEqual(['lost']);
  });
});
