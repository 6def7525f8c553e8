/**
 * @module
 * Small helpers for end-to-end tests: call the Worker in-process (it runs inside workerd and reaches the real
 * backend over loopback) and check the problem+json contract.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';
import type { Bindings } from '../../src/env.ts';
import worker from '../../src/index.ts';

/** Narrows away `undefined` with a clear failure instead of a non-null assertion. */
export function defined<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`missing ${what}`);
  return value;
}

/**
 * The Worker called in this test's own context with `bindings`, answered once the work it left for after the
 * answer (cache writes, the log line) is done: left running, that work could outlive the test file, and a log line
 * written then is never delivered to vitest (its console RPC stays pending until the run ends).
 */
export async function fetchWorker(request: Request, bindings: Bindings): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(request, bindings, ctx);
  await waitOnExecutionContext(ctx);
  return response;
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

// The edge tests' assertions for problem+json and OpenAI-shaped errors hold end to end too.
export { expectOpenAIError, expectProblem } from '../edge/helpers.ts';
