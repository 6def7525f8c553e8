/**
 * @module
 * Fetches an `https` input for a client (see `url-guard.ts` for which URLs qualify): a deadline, no redirects
 * (their targets are not re-checked yet), and a streaming read that stops at the adapter's byte limit instead of
 * buffering whatever the server sends.
 */
import { AdapterInputError } from '../../adapters/errors.ts';
import type { RawInput } from '../../adapters/types.ts';
import { ApiError } from '../problem.ts';
import { checkFetchableUrl } from './url-guard.ts';

export interface FetchLimits {
  readonly maxBytes: number;
  /** Deadline for the whole fetch, body included. */
  readonly timeoutMs: number;
}

export const defaultFetchTimeoutMs = 10_000;

function fetchFailed(url: URL, why: string): ApiError {
  return new ApiError(422, 'url-fetch-failed', `could not fetch ${url.origin}${url.pathname}: ${why}`);
}

function tooLarge(maxBytes: number): AdapterInputError {
  return new AdapterInputError('too-large', `the fetched input is over the limit of ${maxBytes} bytes`, {
    limit: maxBytes,
  });
}

async function readCapped(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    size += next.value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(next.value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

async function get(url: URL, timeoutMs: number): Promise<Response> {
  try {
    return await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    throw fetchFailed(url, timedOut ? `no answer within ${timeoutMs} ms` : 'the server could not be reached');
  }
}

export async function fetchUrlInput(text: string, limits: FetchLimits): Promise<RawInput> {
  const url = checkFetchableUrl(text);
  const response = await get(url, limits.timeoutMs);
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel();
    throw fetchFailed(url, `it redirects (${response.status}), and redirects are not followed`);
  }
  if (!response.ok || response.body === null) {
    await response.body?.cancel();
    throw fetchFailed(url, `the server answered ${response.status}`);
  }
  if (Number(response.headers.get('content-length') ?? 0) > limits.maxBytes) {
    await response.body.cancel();
    throw tooLarge(limits.maxBytes);
  }
  try {
    const bytes = await readCapped(response.body, limits.maxBytes);
    const declaredType = response.headers.get('content-type') ?? undefined;
    return { kind: 'bytes', bytes, declaredType, filename: url.pathname.split('/').pop() || undefined };
  } catch (error) {
    if (error instanceof AdapterInputError) throw error;
    throw fetchFailed(url, 'the download was interrupted or timed out');
  }
}
