/**
 * @module
 * What the edge tells a client of a failing backend: its status, never its URL or its own error text (which may
 * name hosts, paths or internals); those go to the log for the operator. A 4xx about the request is the client's
 * (not counted against the backend); a refused credential is the operator's, logged as an error.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { toApiError } from '../error-handler.ts';
import { BackendError, BackendInputError } from './errors.ts';
import { requestJson } from './http.ts';

const url = 'https://gpu-7.internal.example:8000/v2/models/secret-model/infer';
const backendText = 'CUDA failure at /opt/models/secret-model/1/model.onnx';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/** The problem a request answered `response` becomes, and what was logged meanwhile. */
async function problemOf(
  response: Response,
  minStatus = 502,
): Promise<{ problem: string; logged: string; error: unknown; status: number | undefined }> {
  vi.stubGlobal('fetch', () => Promise.resolve(response));
  const warnings = vi.spyOn(console, 'warn').mockImplementation(() => {});
  const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
  const error = await requestJson({
    method: 'POST',
    url,
    body: {},
    timeoutMs: 1000,
    model: 'secret-model',
  }).catch((e: unknown) => e);
  const problem = toApiError(error);
  expect(problem?.status).toBeGreaterThanOrEqual(minStatus);
  return {
    problem: JSON.stringify({ detail: problem?.message, ...problem }),
    logged: JSON.stringify([...warnings.mock.calls, ...errors.mock.calls]),
    error,
    status: problem?.status,
  };
}

const failing = (status: number) => new Response(JSON.stringify({ error: backendText }), { status });

describe("a backend's failure", () => {
  it('answers 503 without the backend URL or its error text, which are logged', async () => {
    const failing = new Response(JSON.stringify({ error: backendText }), { status: 500 });
    const { problem, logged } = await problemOf(failing);
    expect(problem).toContain('500');
    for (const secret of ['gpu-7', 'secret-model', '/opt/models']) expect(problem).not.toContain(secret);
    expect(logged).toContain(backendText);
    expect(logged).toContain('gpu-7.internal.example');
  });

  it('answers 502 for an answer that is not JSON, without the URL', async () => {
    const { problem, logged } = await problemOf(new Response('<html>gpu-7</html>', { status: 200 }));
    expect(problem).toContain('backend-bad-response');
    for (const secret of ['gpu-7', 'secret-model']) expect(problem).not.toContain(secret);
    expect(logged).toContain('gpu-7.internal.example');
  });

  it("answers a 404 as a model not served, without the backend's text", async () => {
    const { problem, logged, status } = await problemOf(failing(404), 400);
    expect(status).toBe(422);
    expect(problem).toContain('model-not-served');
    for (const secret of ['gpu-7', '/opt/models', 'CUDA']) expect(problem).not.toContain(secret);
    expect(logged).toContain(backendText);
  });

  it.each([
    [413, 413],
    [422, 422],
    [405, 422],
  ])(
    'answers a %i about the request as the client’s %i, not as the backend being down',
    async (backendStatus, status) => {
      const answer = await problemOf(failing(backendStatus), 400);
      expect(answer.status).toBe(status);
      expect(answer.error).toBeInstanceOf(BackendInputError);
      expect(answer.problem).toContain(`HTTP ${backendStatus}`);
      for (const secret of ['gpu-7', '/opt/models', 'CUDA']) expect(answer.problem).not.toContain(secret);
      expect(answer.logged).toContain(backendText);
    },
  );

  it.each([408, 429])('answers a %i as the backend being busy (503)', async (backendStatus) => {
    const { error, status } = await problemOf(failing(backendStatus));
    expect(status).toBe(503);
    expect(error).toMatchObject({ kind: 'unavailable' });
  });

  it.each([
    [429, {}, true],
    [503, { 'Retry-After': '1' }, true],
    [503, {}, false],
    [408, {}, false],
  ])(
    'marks a %i with headers %j as busy: %s (busy is not counted as down)',
    async (status, headers, busy) => {
      const response = new Response(JSON.stringify({ error: backendText }), { status, headers });
      const { error } = await problemOf(response);
      expect(error).toMatchObject({ kind: 'unavailable', busy });
    },
  );

  it.each([401, 403])(
    'answers a %i as the backend refusing the edge’s credential, logged as an error',
    async (backendStatus) => {
      vi.stubGlobal('fetch', () => Promise.resolve(failing(backendStatus)));
      const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
      const token = 'do-not-show-me';
      const error = await requestJson({ method: 'GET', url, timeoutMs: 1000, credentials: { token } }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(BackendError);
      const problem = toApiError(error);
      expect(problem?.status).toBe(503);
      expect(problem?.message).toBe(
        `the inference backend refused the edge's credential (HTTP ${backendStatus})`,
      );
      const logged = JSON.stringify(errors.mock.calls);
      expect(logged).toContain('BACKEND_TOKEN');
      expect(logged).not.toContain(token);
    },
  );
});
