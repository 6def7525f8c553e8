/**
 * @module
 * What the edge tells a client of a failing backend: its status, never its URL or its own error text (which may
 * name hosts, paths or internals); those go to the log for the operator.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { toApiError } from '../error-handler.ts';
import { requestJson } from './http.ts';

const url = 'https://gpu-7.internal.example:8000/v2/models/secret-model/infer';
const backendText = 'CUDA failure at /opt/models/secret-model/1/model.onnx';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/** The problem a request answered `response` becomes, and what was logged meanwhile. */
async function problemOf(response: Response): Promise<{ problem: string; logged: string }> {
  vi.stubGlobal('fetch', () => Promise.resolve(response));
  const warnings = vi.spyOn(console, 'warn').mockImplementation(() => {});
  const error = await requestJson({ method: 'POST', url, body: {}, timeoutMs: 1000 }).catch(
    (e: unknown) => e,
  );
  const problem = toApiError(error);
  expect(problem?.status).toBeGreaterThanOrEqual(502);
  return {
    problem: JSON.stringify({ detail: problem?.message, ...problem }),
    logged: JSON.stringify(warnings.mock.calls),
  };
}

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
});
