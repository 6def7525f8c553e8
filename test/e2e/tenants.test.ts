/**
 * @module
 * Tenants end to end (the Worker in workerd, the real backend, tasks taught real embeddings): on every route that
 * takes a task id another tenant's key gets the 404 of a missing task and changes nothing, not even what the
 * owner's classify answers; an inference key of the owner's tenant classifies and evaluates but may not teach; two
 * tenants' tasks of one id take concurrent teaching apart; the embedding cache is per tenant unless
 * `EMBEDDING_CACHE_SCOPE=shared`; the typed client acts as a tenant for an admin key.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createModalFuseClient, ok } from '../../client/index.ts';
import type { Bindings } from '../../src/env.ts';
import { freshTenant, makeKeys, probeTaskRoutes, type Call, type Keys } from '../edge/tenants.ts';
import { fetchWorker } from './helpers.ts';

function transport(bindings: Partial<Bindings>): typeof fetch {
  return ((input: RequestInfo | URL, init?: RequestInit) =>
    fetchWorker(new Request(input, init), { ...env, ...bindings })) as typeof fetch;
}

function as(keys: Keys, name: string, bindings: Partial<Bindings> = {}): Call {
  const send = transport({ API_KEY_HASHES: keys.config, ...bindings });
  return (path, init = {}) =>
    send(`http://edge.test${path}`, { ...init, headers: { ...keys.auth(name), ...init.headers } });
}

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

const examples = [
  { label: 'red', inputs: { text: 'a ripe red cherry' } },
  { label: 'red', inputs: { text: 'red roses in bloom' } },
  { label: 'blue', inputs: { text: 'a clear blue sky' } },
  { label: 'blue', inputs: { text: 'the deep blue sea' } },
];

const classify = (caller: Call, task: string) =>
  caller('/v1/classify', json({ task, inputs: { text: 'cherry red' } })).then(
    async (response) => [response.status, await response.json()] as const,
  );

describe("another tenant's task, end to end", () => {
  it('answers as a missing task on every route and keeps the answers of the owner as they were', async () => {
    const [shop, stranger] = [freshTenant('shop'), freshTenant('stranger')];
    const keys = await makeKeys({
      owner: { tenant: shop },
      reader: { tenant: shop, scope: 'inference' },
      stranger: { tenant: stranger },
    });
    const owner = as(keys, 'owner');
    const id = 'reviews';
    const missing = await probeTaskRoutes(as(keys, 'stranger'), id, 2, keys.auth('stranger'));
    expect(missing.map((answer) => answer.status)).toEqual(missing.map(() => 404));

    const modalities = { image: false, audio: false, html: false };
    expect((await owner('/v1/tasks', json({ id, labels: ['red', 'blue'], modalities }))).status).toBe(201);
    expect((await owner(`/v1/tasks/${id}/examples`, json({ examples }))).status).toBe(200);
    const view = await (await owner(`/v1/tasks/${id}`)).json();
    const answer = await classify(owner, id);
    expect(answer).toMatchObject([200, { label: 'red' }]);

    expect(await probeTaskRoutes(as(keys, 'stranger'), id, 2, keys.auth('stranger'))).toEqual(missing);
    expect(await (await owner(`/v1/tasks/${id}`)).json()).toEqual(view);
    expect(await classify(owner, id)).toEqual(answer);

    const reader = as(keys, 'reader');
    expect(await classify(reader, id)).toEqual(answer);
    const evaluation = await reader(`/v1/tasks/${id}/evaluate`, json({ examples }));
    expect(evaluation.status).toBe(200);
    expect((await reader(`/v1/tasks/${id}/examples`, json({ examples }))).status).toBe(403);
    expect(await (await owner(`/v1/tasks/${id}`)).json()).toEqual(view);
  });
});

describe('two tenants with one task id, end to end', () => {
  it('keep concurrent teaching apart', async () => {
    const keys = await makeKeys({
      alice: { tenant: freshTenant('alice') },
      bob: { tenant: freshTenant('bob') },
    });
    const labels = { alice: ['red', 'blue'], bob: ['cat', 'dog', 'bird'] };
    const modalities = { image: false, audio: false, html: false };
    for (const [name, own] of Object.entries(labels)) {
      expect((await as(keys, name)('/v1/tasks', json({ id: 'twin', labels: own, modalities }))).status).toBe(
        201,
      );
    }
    const uploads = 6;
    const teach = (name: 'alice' | 'bob', n: number) => {
      const label = labels[name][n % labels[name].length] ?? '';
      return as(keys, name)(
        '/v1/tasks/twin/examples',
        json({ examples: [{ label, inputs: { text: `${label} ${n}` } }] }),
      );
    };
    const answers = await Promise.all(
      Array.from({ length: uploads }, (_, n) => [teach('alice', n), teach('bob', n)]).flat(),
    );
    expect(answers.map((response) => response.status)).toEqual(answers.map(() => 200));
    for (const name of ['alice', 'bob'] as const) {
      const view = (await (await as(keys, name)('/v1/tasks/twin')).json()) as {
        labels: string[];
        version: number;
        modalities: { text: { examples: number } };
      };
      expect(view).toMatchObject({
        labels: labels[name],
        version: 1 + uploads,
        modalities: { text: { examples: uploads } },
      });
    }
  });
});

async function cacheOf(caller: Call, input: string): Promise<string | undefined> {
  const response = await caller('/v1/embeddings', json({ model: 'text-hash-256', input }));
  expect(response.status).toBe(200);
  return /cache;desc="(\w+)"/.exec(response.headers.get('server-timing') ?? '')?.[1];
}

describe('the embedding cache', () => {
  it('keeps tenants apart by default, and shares entries when the deployment opts in', async () => {
    const keys = await makeKeys({ alice: {}, bob: {} });
    const input = `only alice typed this ${crypto.randomUUID()}`;
    expect(await cacheOf(as(keys, 'alice'), input)).toBe('miss');
    expect(await cacheOf(as(keys, 'bob'), input)).toBe('miss');
    expect(await cacheOf(as(keys, 'alice'), input)).toBe('hit');

    const shared = { EMBEDDING_CACHE_SCOPE: 'shared' };
    const common = `anyone may have typed this ${crypto.randomUUID()}`;
    expect(await cacheOf(as(keys, 'alice', shared), common)).toBe('miss');
    expect(await cacheOf(as(keys, 'bob', shared), common)).toBe('hit');
  });
});

describe('the typed client with an admin key', () => {
  it('lists the tenants and acts as one', async () => {
    const shop = freshTenant('shop');
    const keys = await makeKeys({ ops: { scope: 'admin' }, owner: { tenant: shop } });
    const modalities = { image: false, audio: false, html: false };
    await as(keys, 'owner')('/v1/tasks', json({ id: 'catalogue', labels: ['red', 'blue'], modalities }));
    const fetch = transport({ API_KEY_HASHES: keys.config });
    const admin = createModalFuseClient({ baseUrl: 'http://edge.test', apiKey: keys.secret('ops'), fetch });
    const { data } = await ok(admin.tenants.v1.tenants.$get());
    expect(data).toContainEqual({ id: shop, keys: [{ name: keys.name('owner'), scope: 'all' }], tasks: 1 });
    const api = createModalFuseClient({
      baseUrl: 'http://edge.test',
      apiKey: keys.secret('ops'),
      tenant: shop,
      fetch,
    });
    const listed = await ok(api.tasks.v1.tasks.$get({ query: {} }));
    expect(listed.data.map((summary) => summary.id)).toEqual(['catalogue']);
    await ok(api.teach('catalogue', { examples }));
    const classified = await ok(api.classify({ task: 'catalogue', inputs: { text: 'cherry red' } }));
    expect(classified).toMatchObject({ task: 'catalogue', label: 'red' });
    await expect(ok(admin.tasks.v1.tasks[':id'].$get({ param: { id: 'catalogue' } }))).rejects.toMatchObject({
      status: 404,
    });
  });
});
