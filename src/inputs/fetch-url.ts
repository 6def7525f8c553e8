/**
 * @module
 * Fetches an `https` input for a client (see `url-guard.ts` for which URLs qualify): one deadline for the whole
 * fetch, every host resolved over DNS-over-HTTPS and refused unless all its addresses are public (`dns-guard.ts`),
 * redirects followed by hand (at most {@link maxRedirects}) with every target checked by the same guards before it
 * is fetched, and a streaming read that stops at the adapter's byte limit (and the request's total, `url-budget.ts`)
 * instead of buffering whatever the server sends.
 */
import { AdapterInputError } from '../../adapters/errors.ts';
import type { RawInput } from '../../adapters/types.ts';
import { ApiError } from '../problem.ts';
import { checkResolvesPublic, type DnsOptions } from './dns-guard.ts';
import type { UrlBudget } from './url-budget.ts';
import { checkFetchableUrl } from './url-guard.ts';

/** How a request leaves the Worker; tests pass one that imitates remote servers, since tests have no network. */
export type Transport = (url: URL, init: RequestInit) => Promise<Response>;

export interface FetchLimits {
  readonly maxBytes: number;
  /** Deadline for the whole fetch, redirects and body included. */
  readonly timeoutMs: number;
  /** Default: the Worker's `fetch`. */
  readonly transport?: Transport;
  /** How hosts are resolved before they are fetched; default: Cloudflare's DNS-over-HTTPS over `fetch`. */
  readonly dns?: Omit<DnsOptions, 'signal'>;
  /** The request's concurrency and total bytes across its URL inputs; none: this fetch alone is bounded. */
  readonly budget?: UrlBudget | undefined;
}

export const maxRedirects = 3;

export const defaultFetchTimeoutMs = 10_000;

function fetchFailed(url: URL, why: string): ApiError {
  return new ApiError(422, 'url-fetch-failed', `could not fetch ${url.origin}${url.pathname}: ${why}`);
}

function tooLarge(maxBytes: number): AdapterInputError {
  return new AdapterInputError('too-large', `the fetched input is over the limit of ${maxBytes} bytes`, {
    limit: maxBytes,
  });
}

async function readCapped(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
  budget: UrlBudget | undefined,
): Promise<Uint8Array> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    size += next.value.byteLength;
    try {
      if (size > maxBytes) throw tooLarge(maxBytes);
      budget?.take(next.value.byteLength);
    } catch (error) {
      await reader.cancel();
      throw error;
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

async function get(
  url: URL,
  signal: AbortSignal,
  transport: Transport,
  timeoutMs: number,
): Promise<Response> {
  try {
    return await transport(url, { redirect: 'manual', signal });
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    throw fetchFailed(url, timedOut ? `no answer within ${timeoutMs} ms` : 'the server could not be reached');
  }
}

const isRedirect = (status: number) => [301, 302, 303, 307, 308].includes(status);

/** The final response after following redirects, each target re-checked by the URL guard. */
async function follow(first: URL, limits: FetchLimits, signal: AbortSignal): Promise<[URL, Response]> {
  const transport = limits.transport ?? ((url, init) => fetch(url, init));
  let url = first;
  for (let hop = 0; ; hop++) {
    await checkResolvesPublic(url.hostname, { ...limits.dns, signal });
    const response = await get(url, signal, transport, limits.timeoutMs);
    if (!isRedirect(response.status)) return [url, response];
    await response.body?.cancel();
    const location = response.headers.get('location');
    if (location === null) throw fetchFailed(url, `it redirects (${response.status}) without a Location`);
    if (hop === maxRedirects) throw fetchFailed(first, `more than ${maxRedirects} redirects`);
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      throw fetchFailed(url, 'it redirects to a Location that is not a URL');
    }
    url = checkFetchableUrl(next.href);
  }
}

export async function fetchUrlInput(text: string, limits: FetchLimits): Promise<RawInput> {
  const url = checkFetchableUrl(text);
  return limits.budget ? limits.budget.run(() => fetchChecked(url, limits)) : fetchChecked(url, limits);
}

async function fetchChecked(checked: URL, limits: FetchLimits): Promise<RawInput> {
  const [url, response] = await follow(checked, limits, AbortSignal.timeout(limits.timeoutMs));
  if (!response.ok || response.body === null) {
    await response.body?.cancel();
    throw fetchFailed(url, `the server answered ${response.status}`);
  }
  const declaredLength = Number(response.headers.get('content-length') ?? 0);
  try {
    if (declaredLength > limits.maxBytes) throw tooLarge(limits.maxBytes);
    limits.budget?.check(declaredLength);
  } catch (error) {
    await response.body.cancel();
    throw error;
  }
  try {
    const bytes = await readCapped(response.body, limits.maxBytes, limits.budget);
    const declaredType = response.headers.get('content-type') ?? undefined;
    return { kind: 'bytes', bytes, declaredType, filename: url.pathname.split('/').pop() || undefined };
  } catch (error) {
    if (error instanceof AdapterInputError) throw error;
    throw fetchFailed(url, 'the download was interrupted or timed out');
  }
}
