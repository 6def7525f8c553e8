/**
 * @module
 * The edge and a real backend started with a bearer token (`MODALFUSE_BACKEND_TOKEN`, random per run, given to the
 * Worker as `BACKEND_TOKEN`): the backend refuses whoever lacks it but keeps its probes open, the Worker's calls
 * carry it, and a Worker with the wrong one answers 503 saying the backend refused its credential — never showing
 * the token or the backend's URL.
 */
import { env } from 'cloudflare:workers';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectOpenAIError, fetchWorker, postJson } from './helpers.ts';

const backendUrl = inject('backendUrl');
const controlUrl = inject('backendControlUrl');

async function control<T>(path: string): Promise<T> {
  const response = await fetch(`${controlUrl}${path}`, { method: 'POST' });
  if (!response.ok) throw new Error(`control ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

const embedding = (text: string) => ({ model: 'text-hash-256', input: text });

/** A backend of its own, so that the refusals below touch no breaker the other files' backend has. */
let own: { id: number; url: string };

beforeAll(async () => {
  own = await control<{ id: number; url: string }>('/backends');
});

afterAll(async () => {
  if (own) await control(`/backends/${own.id}/stop`);
});

describe('a backend started with MODALFUSE_BACKEND_TOKEN', () => {
  it('refuses a call without the token, with WWW-Authenticate, and keeps its probes open', async () => {
    const refused = await fetch(`${backendUrl}/v2/models/text-hash-256`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer');
    expect((await fetch(`${backendUrl}/v2/health/ready`)).status).toBe(200);
    expect((await fetch(`${backendUrl}/v2/health/live`)).status).toBe(200);
  });

  it("serves the Worker, whose BACKEND_TOKEN binding is the backend's token", async () => {
    const response = await postJson('/v1/embeddings', embedding(`with the token ${crypto.randomUUID()}`));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: { embedding: number[] }[] };
    expect(body.data[0]?.embedding).toHaveLength(256);
  });

  it.each([
    ['a wrong token', 'not-the-token'],
    ['no token', undefined],
  ])(
    "answers 503 naming the refused credential with %s, showing neither it nor the backend's URL",
    async (_, token) => {
      const request = new Request('http://edge.test/v1/embeddings', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(embedding(`refused ${crypto.randomUUID()}`)),
      });
      const bindings = { ...env, BACKEND_URLS: own.url, BACKEND_TOKEN: token };
      const response = await fetchWorker(request, bindings);
      const error = await expectOpenAIError(response, 503);
      const shown = JSON.stringify(error);
      expect(shown).toContain("the inference backend refused the edge's credential (HTTP 401)");
      expect(shown).not.toContain(new URL(own.url).host);
      if (token) expect(shown).not.toContain(token);
    },
  );
});
