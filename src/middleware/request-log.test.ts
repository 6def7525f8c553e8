/**
 * @module
 * Structured request logs: one JSON line per request carrying the request id the client saw, the key's name and
 * never the key.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { call } from '../../test/edge/helpers.ts';
import { requestJson } from '../backend/http.ts';
import { sha256 } from './api-keys.ts';

function captureLogs(): () => Record<string, unknown>[] {
  const lines: string[] = [];
  for (const method of ['log', 'warn', 'error'] as const) {
    vi.spyOn(console, method).mockImplementation((line: unknown) => void lines.push(String(line)));
  }
  return () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('request logs', () => {
  it('logs each request as JSON with its request id, status and key name, never the key', async () => {
    const digest = Array.from(await sha256('secret-key-123'), (b) => b.toString(16).padStart(2, '0')).join(
      '',
    );
    const logs = captureLogs();
    const response = await call(
      '/v1/tasks?q=private',
      { headers: { authorization: 'Bearer secret-key-123' } },
      { API_KEY_HASHES: `erin:${digest}` },
    );
    const lines = logs();
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'info',
        message: 'request',
        requestId: response.headers.get('x-request-id'),
        method: 'GET',
        path: '/v1/tasks',
        status: 200,
        apiKey: 'erin',
      }),
    );
    expect(JSON.stringify(lines)).not.toMatch(/secret-key-123|private/);
  });

  it('continues the caller’s W3C traceparent, with a span of its own', async () => {
    const logs = captureLogs();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await call('/healthz', { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    const line = logs().find((entry) => entry.message === 'request');
    expect(line).toMatchObject({
      traceId,
      parentId: '00f067aa0ba902b7',
      spanId: expect.stringMatching(/^[0-9a-f]{16}$/) as string,
    });
    expect(line?.spanId).not.toBe('00f067aa0ba902b7');
  });

  it('sends its own span on to the backend as the parent of the backend’s', async () => {
    const logs = captureLogs();
    const sent: (string | null)[] = [];
    vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) => {
      sent.push(
        new Headers(init?.headers ?? (input instanceof Request ? input.headers : {})).get('traceparent'),
      );
      return Promise.resolve(new Response('{"error":"busy"}', { status: 503 }));
    });
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await call(
      '/v1/embeddings',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
        body: JSON.stringify({ model: 'some-text-model', input: 'hello' }),
      },
      { BACKEND_URL: 'http://trace-test.backend.example' },
    );
    const line = logs().find((entry) => entry.message === 'request');
    expect(sent.length).toBeGreaterThan(0);
    expect(new Set(sent)).toEqual(new Set([`00-${traceId}-${String(line?.spanId)}-01`]));
  });

  it('sends no traceparent outside a request', async () => {
    const sent: (string | null)[] = [];
    vi.stubGlobal('fetch', (_: unknown, init?: RequestInit) => {
      sent.push(new Headers(init?.headers).get('traceparent'));
      return Promise.resolve(Response.json({}));
    });
    await requestJson({ method: 'GET', url: 'http://backend.example/v2', timeoutMs: 1000 });
    expect(sent).toEqual([null]);
  });

  it.each([
    ['none', undefined],
    ['a malformed one', '00-xyz-00f067aa0ba902b7-01'],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`],
  ])('begins a trace when the caller sent %s', async (_, traceparent) => {
    const logs = captureLogs();
    await call('/healthz', traceparent === undefined ? {} : { headers: { traceparent } });
    const line = logs().find((entry) => entry.message === 'request');
    expect(line?.traceId).toMatch(/^(?!0+$)[0-9a-f]{32}$/);
    expect(line).not.toHaveProperty('parentId');
  });

  it('logs client errors as warnings', async () => {
    const logs = captureLogs();
    await call('/v1/nowhere');
    expect(logs()).toContainEqual(
      expect.objectContaining({ level: 'warn', status: 404, path: '/v1/nowhere' }),
    );
  });
});
