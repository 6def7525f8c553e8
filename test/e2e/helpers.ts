/**
 * @module
 * Small helpers for end-to-end tests: call the Worker in-process (it runs inside workerd and reaches the real
 * backend over loopback) and check the problem+json contract.
 */
import { exports } from 'cloudflare:workers';

/** Narrows away `undefined` with a clear failure instead of a non-null assertion. */
export function defined<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`missing ${what}`);
  return value;
}

/** In-context calls wait for the Worker's deferred work, as the edge tests' do. */
export { fetchWorker } from '../edge/helpers.ts';

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
