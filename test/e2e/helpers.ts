/**
 * @module
 * Small helpers for end-to-end tests: call the Worker in-process (it runs inside workerd and reaches the real
 * backend over loopback) and check the problem+json contract.
 */
import { exports } from 'cloudflare:workers';
import { expect } from 'vitest';

/** Narrows away `undefined` with a clear failure instead of a non-null assertion. */
export function defined<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`missing ${what}`);
  return value;
}

export function call(path: string, init?: RequestInit): Promise<Response> {
  return exports.default.fetch(new Request(`http://edge.test${path}`, init));
}

export function postJson(path: string, body: unknown): Promise<Response> {
  return call(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

export function dataUrl(type: string, base64: string): string {
  return `data:${type};base64,${base64}`;
}

export function bytesOf(base64: string): Uint8Array {
  return Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Asserts an RFC 9457 problem with the given status; returns its body. */
export async function expectProblem(response: Response, status: number): Promise<Record<string, unknown>> {
  const body = (await response.json()) as Record<string, unknown>;
  expect({ status: response.status, body }).toMatchObject({ status, body: { status } });
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.headers.get('x-request-id')).toBeTruthy();
  expect(typeof body.title).toBe('string');
  expect(typeof body.detail).toBe('string');
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
