/**
 * @module
 * API keys stored as SHA-256 digests, scopes, and per-key rate limits through the real `[[ratelimits]]` binding
 * of the edge project (vitest.config.mts: 20 per 60 s), all inside workerd.
 */
import { describe, expect, it, vi } from 'vitest';
import { call, expectProblem } from '../../test/edge/helpers.ts';
import { findKey, parseKeyHashes, sha256 } from './api-keys.ts';

const hex = async (key: string) =>
  Array.from(await sha256(key), (byte) => byte.toString(16).padStart(2, '0')).join('');

async function keyConfig(): Promise<{ API_KEY_HASHES: string }> {
  const entries = [`alice:${await hex('key-one')}`, ` bob : ${await hex('key-two')} : inference `];
  return { API_KEY_HASHES: entries.join(' , ') };
}

const bearer = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });

describe('API keys', () => {
  it('requires a configured Bearer key on /v1 routes', async () => {
    const keys = await keyConfig();
    const missing = await call('/v1/tasks', {}, keys);
    expect((await expectProblem(missing, 401)).code).toBe('unauthorized');
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
    for (const header of ['Bearer key-three', 'Bearer key-on', 'Basic a2V5LW9uZQ==', 'Bearer ']) {
      await expectProblem(await call('/v1/tasks', { headers: { authorization: header } }, keys), 401);
    }
    // The digest itself is not a key.
    await expectProblem(await call('/v1/tasks', bearer(await hex('key-one')), keys), 401);
  });

  it('lets a valid key through, any of them', async () => {
    const keys = await keyConfig();
    for (const key of ['key-one', 'key-two']) {
      expect((await call('/v1/tasks', bearer(key), keys)).status).toBe(200);
    }
  });

  it('answers 403 when an inference key tries to change tasks', async () => {
    const keys = await keyConfig();
    const create = {
      method: 'POST',
      headers: { authorization: 'Bearer key-two', 'content-type': 'application/json' },
      body: '{}',
    };
    const problem = await expectProblem(await call('/v1/tasks', create, keys), 403);
    expect(problem).toMatchObject({ code: 'forbidden' });
    expect(problem.detail).toContain('bob');
    expect(JSON.stringify(problem)).not.toContain('key-two');
    const headers = { ...create.headers, authorization: 'Bearer key-one' };
    const asAlice = await call('/v1/tasks', { ...create, headers }, keys);
    expect(asAlice.status).toBe(400);
  });

  it('leaves the probes and the API document open', async () => {
    const keys = await keyConfig();
    expect((await call('/healthz', {}, keys)).status).toBe(200);
    expect((await call('/openapi.json', {}, keys)).status).toBe(200);
  });

  it('is open when no keys are configured', async () => {
    expect((await call('/v1/tasks', {}, { API_KEY_HASHES: '' })).status).toBe(200);
  });

  it('fails closed when API_KEY_HASHES is set but holds no entry', async () => {
    for (const config of [',', ' , ', ' ']) {
      const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
      const problem = await expectProblem(await call('/v1/tasks', {}, { API_KEY_HASHES: config }), 500);
      expect(problem.code).toBe('auth-misconfigured');
      expect(JSON.stringify(errors.mock.calls)).toContain('holds no entry');
      errors.mockRestore();
    }
  });

  it('answers 500 without echoing a malformed entry, in the answer or the log', async () => {
    const digest = await hex('x');
    const configs = [
      'alice:key-one',
      `alice:${digest}:key-one`,
      `:${digest}`,
      `alice:${digest}:all:key-one/x`,
      `key-one.+:${digest}`,
      `alice:${digest}:all:acme,alice:${await hex('y')}:all:key-one`,
    ];
    for (const config of configs) {
      const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
      const response = await call('/v1/tasks', bearer('key-one'), { API_KEY_HASHES: config });
      const problem = await expectProblem(response, 500);
      expect(problem.code).toBe('auth-misconfigured');
      expect(JSON.stringify(problem)).not.toContain('key-one');
      const logged = JSON.stringify(errors.mock.calls);
      expect(logged).toMatch(/API_KEY_HASHES entry \d/);
      expect(logged).not.toContain('key-one');
      errors.mockRestore();
    }
  });

  it('finds keys by digest and parses entries strictly, tenants defaulting to the name', async () => {
    const config = `${(await keyConfig()).API_KEY_HASHES},carol:${await hex('key-three')}::acme.eu`;
    const keys = parseKeyHashes(`${config},carol:${await hex('key-four')}:all:acme.eu`);
    expect(keys.map(({ name, scope, tenant }) => [name, scope, tenant.name])).toEqual([
      ['alice', 'all', 'alice'],
      ['bob', 'inference', 'bob'],
      ['carol', 'all', 'acme.eu'],
      ['carol', 'all', 'acme.eu'],
    ]);
    expect((await findKey('key-two', keys))?.name).toBe('bob');
    expect((await findKey('key-four', keys))?.tenant.name).toBe('acme.eu');
    expect(await findKey('key-twoo', keys)).toBeUndefined();
    expect(() => parseKeyHashes('alice:abc')).toThrow(/entry 1/);
    expect(() => parseKeyHashes(`ok:${'0'.repeat(64)},${'a'.repeat(65)}:${'0'.repeat(64)}`)).toThrow(
      /entry 2/,
    );
  });
});

/** `simple.limit` of `RATE_LIMITER` in the edge project (vitest.config.mts). */
const limit = 20;

/**
 * Statuses of calls until the first 429 (at most 2 × limit + 1): the binding counts in fixed windows, so a window
 * may end while a test counts, and up to twice the limit may pass — never fewer than the limit.
 */
async function untilRefused(send: () => Promise<Response>): Promise<number[]> {
  const statuses: number[] = [];
  while (statuses.at(-1) !== 429 && statuses.length <= 2 * limit) statuses.push((await send()).status);
  return statuses;
}

describe('rate limits', () => {
  it('answers 429 problem+json with Retry-After once a key is over its limit, per key', async () => {
    const name = `carol-${crypto.randomUUID()}`;
    const keys = { API_KEY_HASHES: `${name}:${await hex('key-carol')},dave:${await hex('key-dave')}` };
    const statuses = await untilRefused(() => call('/v1/none', bearer('key-carol'), keys));
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.length).toBeGreaterThan(limit);
    expect(statuses.slice(0, -1).every((status) => status === 404)).toBe(true);
    const refused = await call('/v1/none', bearer('key-carol'), keys);
    const problem = await expectProblem(refused, 429);
    expect(problem).toMatchObject({ code: 'rate-limited' });
    expect(problem.detail).toContain(name);
    expect(refused.headers.get('retry-after')).toBe('60');
    expect((await call('/v1/none', bearer('key-dave'), keys)).status).toBe(404);
  });

  it('counts clients by address in open mode', async () => {
    const client = { headers: { 'cf-connecting-ip': `203.0.113.${Math.floor(Math.random() * 250)}` } };
    const statuses = await untilRefused(() => call('/v1/none', client));
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.length).toBeGreaterThan(limit);
    expect((await call('/v1/none')).status).toBe(404);
  });
});
