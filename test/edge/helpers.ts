/**
 * @module
 * Helpers for the edge tests (imported by `*.test.ts` only, never by the Worker): call the app inside workerd with
 * the real bindings, the backend pointed at a closed port unless a test says otherwise, and check problem+json.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import worker from '../../src/index.ts';
import type { Bindings } from '../../src/env.ts';
import type { Problem } from '../../src/problem.ts';

/** Nothing listens on the discard port: every backend call fails fast, as when the backend is down. */
export const unreachableBackend = 'http://127.0.0.1:9';

/** A 1×1 PNG. */
export const pngBase64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

export function bindings(overrides: Partial<Bindings> = {}): Bindings {
  return { ...env, BACKEND_URL: unreachableBackend, ...overrides };
}

/**
 * The Worker called in this test's own context with `env`, answered once the work it left for after the answer
 * (`waitUntil`: the log line, cache writes) is done: left running, that work could outlive the test file, and a
 * log line written then is never delivered to vitest (its console RPC stays pending until the run ends).
 */
export async function fetchWorker(request: Request, env: Bindings): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(request, env, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

/** The Worker's answer to `path`, with the backend unreachable unless `overrides` say otherwise. */
export function call(path: string, init?: RequestInit, overrides?: Partial<Bindings>): Promise<Response> {
  return fetchWorker(new Request(`http://edge.test${path}`, init), bindings(overrides));
}

export function postJson(path: string, body: unknown, overrides?: Partial<Bindings>): Promise<Response> {
  const init = {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  };
  return call(path, init, overrides);
}

/** Asserts an RFC 9457 problem with the status (and its headers); returns the body. */
export async function expectProblem(response: Response, status: number): Promise<Problem> {
  const text = await response.text();
  expect({ status: response.status, text }).toMatchObject({ status });
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  const body = JSON.parse(text) as Problem;
  expect(body).toMatchObject({ status, type: expect.stringMatching(/^\/problems\//) as string });
  expect(typeof body.title).toBe('string');
  expect(typeof body.detail).toBe('string');
  expect(typeof body.instance).toBe('string');
  expect(body.requestId).toBe(response.headers.get('x-request-id'));
  expect(response.headers.get('server-timing')).toMatch(/total/);
  return body;
}

/** Asserts an OpenAI-shaped error (the OpenAI-compatible routes) with the status; returns its `error` member. */
export async function expectOpenAIError(
  response: Response,
  status: number,
): Promise<Record<string, unknown>> {
  const text = await response.text();
  expect({ status: response.status, text }).toMatchObject({ status });
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const { error } = JSON.parse(text) as { error: Record<string, unknown> };
  expect(error).toMatchObject({ message: expect.any(String) as string, type: expect.any(String) as string });
  expect(error).toHaveProperty('param');
  expect(error.requestId).toBe(response.headers.get('x-request-id'));
  return error;
}
