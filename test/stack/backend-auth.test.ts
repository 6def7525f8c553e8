/**
 * @module
 * The stack runs the authenticated path: its backend requires a bearer token random per run, which only the Worker
 * under `wrangler dev` was given (as its `BACKEND_TOKEN` secret, through an env file): a call without it gets 401
 * problem+json, the edge's calls succeed, and the probes stay open.
 */
import { expect, inject, it } from 'vitest';

const backendUrl = inject('stackBackendUrl');

it('refuses a call to the backend without the token with 401 problem+json; its probes stay open', async () => {
  const refused = await fetch(`${backendUrl}/v2/models/text-hash-256`);
  expect(refused.status).toBe(401);
  expect(refused.headers.get('content-type')).toBe('application/problem+json');
  expect(((await refused.json()) as { status: number }).status).toBe(401);
  expect((await fetch(`${backendUrl}/v2/health/ready`)).status).toBe(200);
});

it('serves the edge, whose calls carry the token', async () => {
  const response = await fetch(`${inject('edgeUrl')}/v1/embeddings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'text-hash-256', input: `through the edge ${crypto.randomUUID()}` }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  const body = (await response.json()) as { data: { embedding: number[] }[] };
  expect(body.data[0]?.embedding).toHaveLength(256);
});
