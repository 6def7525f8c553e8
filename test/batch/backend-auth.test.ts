/**
 * @module
 * The batch harness runs the authenticated path: its backend (behind the killable proxy) requires the bearer token
 * the Worker was given as `BACKEND_TOKEN`, refusing a call without it with 401 problem+json, while the Worker's own
 * calls through the same proxy succeed.
 */
import { exports } from 'cloudflare:workers';
import { beforeAll, expect, inject, it } from 'vitest';

const backendUrl = inject('batchBackendUrl');

beforeAll(async () => {
  // Brought back if another file left it killed (a no-op when it is alive).
  expect((await fetch(`${inject('batchControlUrl')}/restart`, { method: 'POST' })).status).toBe(200);
});

it('refuses a call without the token with 401 problem+json', async () => {
  const refused = await fetch(`${backendUrl}/v2/models/text-hash-256`);
  expect(refused.status).toBe(401);
  expect(refused.headers.get('content-type')).toBe('application/problem+json');
  expect(((await refused.json()) as { status: number }).status).toBe(401);
});

it("serves the Worker's calls, which carry its BACKEND_TOKEN", async () => {
  const request = new Request('http://edge.test/v1/embeddings', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'text-hash-256', input: `with the token ${crypto.randomUUID()}` }),
  });
  const response = await exports.default.fetch(request);
  expect(response.status, await response.clone().text()).toBe(200);
  const body = (await response.json()) as { data: { embedding: number[] }[] };
  expect(body.data[0]?.embedding).toHaveLength(256);
});
