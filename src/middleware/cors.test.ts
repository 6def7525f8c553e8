/**
 * @module
 * CORS from `CORS_ORIGINS`, in workerd: a listed origin's preflight is answered before auth, echoing the headers
 * the openai SDK asks for; its requests (answers and errors alike) carry the allow-origin and the exposed
 * headers; an unlisted origin, or no `CORS_ORIGINS`, gets no CORS header at all.
 */
import { describe, expect, it } from 'vitest';
import { call, expectProblem } from '../../test/edge/helpers.ts';
import { allowedOrigin } from './cors.ts';
import { sha256 } from './api-keys.ts';

const app = 'https://app.example.com';
const origins = { CORS_ORIGINS: `${app}, https://other.example.com/` };

function preflight(origin: string): RequestInit {
  return {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization, content-type, x-stainless-os',
    },
  };
}

async function keyed(): Promise<{ API_KEY_HASHES: string }> {
  const digest = Array.from(await sha256('k'), (b) => b.toString(16).padStart(2, '0')).join('');
  return { API_KEY_HASHES: `alice:${digest}` };
}

describe('CORS', () => {
  it('answers a listed origin’s preflight with 204, before auth, echoing the asked headers', async () => {
    const response = await call('/v1/embeddings', preflight(app), { ...origins, ...(await keyed()) });
    expect(response.status).toBe(204);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'access-control-allow-origin': app,
      'access-control-allow-methods': 'GET, POST, PUT, DELETE',
      'access-control-allow-headers': 'authorization, content-type, x-stainless-os',
      'access-control-max-age': '600',
    });
    expect(response.headers.get('vary')).toMatch(/Origin/);
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('marks a listed origin’s answers and errors, exposing the headers callers read', async () => {
    const ok = await call('/healthz', { headers: { origin: 'https://other.example.com' } }, origins);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://other.example.com');
    expect(ok.headers.get('access-control-expose-headers')).toBe('x-request-id, server-timing, retry-after');
    expect(ok.headers.get('vary')).toMatch(/Origin/);
    const refused = await call('/v1/tasks', { headers: { origin: app } }, { ...origins, ...(await keyed()) });
    await expectProblem(refused, 401);
    expect(refused.headers.get('access-control-allow-origin')).toBe(app);
  });

  it('gives an unlisted origin, or any origin without CORS_ORIGINS, no CORS header', async () => {
    for (const overrides of [origins, {}]) {
      const response = await call('/v1/embeddings', preflight('https://evil.example.com'), overrides);
      expect(response.status).not.toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      const plain = await call('/healthz', { headers: { origin: 'https://evil.example.com' } }, overrides);
      expect(plain.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('allows any origin with `*`, and matches origins exactly', () => {
    expect(allowedOrigin('*', 'https://a.example')).toBe('*');
    expect(allowedOrigin(`${app}`, 'https://app.example.com:8443')).toBeUndefined();
    expect(allowedOrigin(`${app}`, 'http://app.example.com')).toBeUndefined();
    expect(allowedOrigin(`${app}`, undefined)).toBeUndefined();
    expect(allowedOrigin(undefined, app)).toBeUndefined();
    expect(allowedOrigin('', app)).toBeUndefined();
  });
});
