/**
 * @module
 * What each scope may do within and across tenants, inside workerd: an `inference` key reads and evaluates its
 * tenant's tasks but changing them is 403 (and changes nothing); an `admin` key lists the tenants and acts as one
 * with `ModalFuse-Tenant`, which any other key (and open mode) is refused; request logs name the key and the tenant,
 * never the key itself; `/openapi.json` documents the header and the tenant list.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { call, expectProblem } from '../../test/edge/helpers.ts';
import { freshTenant, hexDigest, makeKeys, type Call, type Keys } from '../../test/edge/tenants.ts';

function as(keys: Keys, name: string, headers: Record<string, string> = {}): Call {
  return (path, init = {}) =>
    call(
      path,
      { ...init, headers: { ...keys.auth(name), ...headers, ...init.headers } },
      { API_KEY_HASHES: keys.config },
    );
}

const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

const task = (id: string) => ({
  id,
  labels: ['red', 'blue'],
  modalities: { image: false, audio: false, html: false },
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('an inference key', () => {
  it("reads its tenant's tasks and may not change them (403), which changes nothing", async () => {
    const tenant = freshTenant('shop');
    const keys = await makeKeys({ owner: { tenant }, reader: { scope: 'inference', tenant } });
    const [owner, reader] = [as(keys, 'owner'), as(keys, 'reader')];
    expect((await owner('/v1/tasks', json('POST', task('reviews')))).status).toBe(201);
    const before = await (await owner('/v1/tasks/reviews')).json();
    expect(await (await reader('/v1/tasks/reviews')).json()).toEqual(before);
    expect(((await (await reader('/v1/tasks')).json()) as { data: unknown[] }).data).toHaveLength(1);
    // Evaluating changes nothing: it passes auth and gets as far as the backend (down in these tests).
    const evaluate = json('POST', { examples: [{ label: 'red', inputs: { text: 'a' } }] });
    expect((await reader('/v1/tasks/reviews/evaluate', evaluate)).status).toBe(503);
    const changes: [string, RequestInit][] = [
      ['/v1/tasks', json('POST', task('mine'))],
      ['/v1/tasks/reviews', json('PUT', { labels: ['x', 'y'] })],
      ['/v1/tasks/reviews', { method: 'DELETE' }],
      ['/v1/tasks/reviews/examples', json('POST', { examples: [{ label: 'red', inputs: { text: 'a' } }] })],
      ['/v1/tasks/reviews/examples/1', { method: 'DELETE' }],
      ['/v1/tasks/reviews/examples?label=red', { method: 'DELETE' }],
      ['/v1/tasks/reviews/refit', { method: 'POST' }],
    ];
    for (const [path, init] of changes) {
      const problem = await expectProblem(await reader(path, init), 403);
      expect(problem.detail).toContain(`${keys.name('reader')} has scope inference`);
    }
    expect(await (await owner('/v1/tasks/reviews')).json()).toEqual(before);
    expect((await owner('/v1/tasks/mine')).status).toBe(404);
  });
});

describe('an admin key', () => {
  it('lists the tenants with their keys and task counts, never their digests', async () => {
    const [shop, lab] = [freshTenant('shop'), freshTenant('lab')];
    const keys = await makeKeys({
      ops: { scope: 'admin' },
      owner: { tenant: shop },
      reader: { scope: 'inference', tenant: shop },
      lab: { tenant: lab },
    });
    for (const id of ['a', 'b'])
      expect((await as(keys, 'owner')('/v1/tasks', json('POST', task(id)))).status).toBe(201);
    const response = await as(keys, 'ops')('/v1/tenants');
    expect(response.status).toBe(200);
    const { data } = (await response.json()) as { data: { id: string }[] };
    // The public tenant is listed too once open-mode requests (other test files) have stored tasks.
    expect(data.filter((tenant) => tenant.id !== 'public')).toEqual([
      { id: lab, keys: [{ name: keys.name('lab'), scope: 'all' }], tasks: 0 },
      { id: keys.name('ops'), keys: [{ name: keys.name('ops'), scope: 'admin' }], tasks: 0 },
      {
        id: shop,
        keys: [
          { name: keys.name('owner'), scope: 'all' },
          { name: keys.name('reader'), scope: 'inference' },
        ],
        tasks: 2,
      },
    ]);
    const digests = await Promise.all(['ops', 'owner', 'lab'].map((name) => hexDigest(keys.secret(name))));
    for (const digest of digests) expect(JSON.stringify(data)).not.toContain(digest);
    for (const name of ['owner', 'reader']) {
      expect((await expectProblem(await as(keys, name)('/v1/tenants'), 403)).detail).toContain('admin key');
    }
    await expectProblem(await call('/v1/tenants'), 403);
  });

  it('acts as the tenant it names: reads, lists and changes its tasks', async () => {
    const shop = freshTenant('shop');
    const keys = await makeKeys({ ops: { scope: 'admin' }, owner: { tenant: shop } });
    const owner = as(keys, 'owner');
    const actingAs = as(keys, 'ops', { 'ModalFuse-Tenant': shop });
    expect((await owner('/v1/tasks', json('POST', task('reviews')))).status).toBe(201);
    expect((await as(keys, 'ops')('/v1/tasks/reviews')).status).toBe(404);
    expect((await actingAs('/v1/tasks/reviews')).status).toBe(200);
    expect((await actingAs('/v1/tasks', json('POST', task('added')))).status).toBe(201);
    const listed = (await (await owner('/v1/tasks')).json()) as { data: { id: string }[] };
    expect(listed.data.map((summary) => summary.id)).toEqual(['added', 'reviews']);
    expect((await actingAs('/v1/tasks/reviews', { method: 'DELETE' })).status).toBe(204);
    expect((await owner('/v1/tasks/reviews')).status).toBe(404);
  });

  it('is the only one that may name a tenant, and must name a valid one', async () => {
    const shop = freshTenant('shop');
    const keys = await makeKeys({ ops: { scope: 'admin' }, owner: { tenant: shop }, other: {} });
    const naming = (name: string, tenant: string) =>
      as(keys, name, { 'ModalFuse-Tenant': tenant })('/v1/tasks');
    const refused = await expectProblem(await naming('other', shop), 403);
    expect(refused.detail).toContain(`${keys.name('other')} has scope all`);
    await expectProblem(await naming('owner', shop), 403);
    for (const bad of ['a/b', '-x', 'x'.repeat(65)]) {
      expect((await expectProblem(await naming('ops', bad), 400)).code).toBe('invalid-tenant');
    }
    const open = await call('/v1/tasks', { headers: { 'ModalFuse-Tenant': 'public' } });
    expect((await expectProblem(open, 403)).detail).toContain('open');
  });
});

describe('request logs', () => {
  it('name the key and the tenant acted for, never the key', async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));
    vi.spyOn(console, 'warn').mockImplementation((line: unknown) => void lines.push(String(line)));
    const shop = freshTenant('shop');
    const keys = await makeKeys({ ops: { scope: 'admin' }, reader: { scope: 'inference', tenant: shop } });
    await as(keys, 'reader')('/v1/tasks');
    await as(keys, 'reader')('/v1/tasks', json('POST', task('x')));
    await as(keys, 'ops', { 'ModalFuse-Tenant': shop })('/v1/tasks/none');
    const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const requests = logged.filter((line) => line.message === 'request');
    expect(requests.map(({ apiKey, tenant, status }) => ({ apiKey, tenant, status }))).toEqual([
      { apiKey: keys.name('reader'), tenant: shop, status: 200 },
      { apiKey: keys.name('reader'), tenant: shop, status: 403 },
      { apiKey: keys.name('ops'), tenant: shop, status: 404 },
    ]);
    const secrets = [keys.secret('ops'), keys.secret('reader'), await hexDigest(keys.secret('ops'))];
    for (const secret of secrets) expect(lines.join('\n')).not.toContain(secret);
  });
});

describe('/openapi.json', () => {
  it('documents the tenant header on the /v1 operations and the admin-only tenant list', async () => {
    const document = (await (await call('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { parameters?: { $ref?: string }[]; responses: object }>>;
      components: { parameters: Record<string, { name: string; in: string }> };
    };
    const ref = { $ref: '#/components/parameters/ModalFuseTenant' };
    expect(document.components.parameters.ModalFuseTenant).toMatchObject({
      name: 'ModalFuse-Tenant',
      in: 'header',
    });
    expect(document.paths['/v1/classify']?.post?.parameters).toContainEqual(ref);
    expect(document.paths['/v1/tasks/{id}']?.delete?.parameters).toContainEqual(ref);
    expect(document.paths['/healthz']?.get?.parameters ?? []).not.toContainEqual(ref);
    expect(Object.keys(document.paths['/v1/tenants']?.get?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '401', '403']),
    );
  });
});
