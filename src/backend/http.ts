/**
 * @module
 * JSON over HTTP to the backend, with a deadline, and failures sorted into the backend error kinds: 400 → the
 * client's input ({@link BackendInputError}, with the refused items when the backend names them), another 4xx
 * about the request (413, 422, …) → the client's input too, never counted against the backend; 404 →
 * `unknown-model`; 401/403 → `unavailable`, logged as an error: the backend refused the edge's credential
 * (`BACKEND_TOKEN`), an operator's fault; anything else that is not 2xx (408 and 429 included), a network failure
 * or a timeout → `unavailable` (carrying the backend's `Retry-After`); an unparsable body → `bad-response`. Bar a
 * 400's (the adapter's words about the client's own input), the messages — which become the client's problem
 * detail — hold the backend's status only; its URL and its own error text go to the log.
 */
import type { ErrorResponse } from '../../gpu-backend/protocol/types.ts';
import { log } from '../log.ts';
import { outgoingTraceparent } from '../trace-scope.ts';
import { BackendError, BackendInputError, defaultRetryAfterSeconds, type RefusedItem } from './errors.ts';

export interface JsonRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly body?: unknown;
  readonly timeoutMs: number;
  /** The model the request is about, for error messages. */
  readonly model?: string;
  /** The caller's: aborting it abandons the request, which then rejects with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
  /** What the edge shows the backend, when it shows anything. */
  readonly credentials?: BackendCredentials | undefined;
}

/** The backend's bearer token (its `MODALFUSE_BACKEND_TOKEN`) and, behind Cloudflare Access, a service token. */
export interface BackendCredentials {
  readonly token?: string | undefined;
  readonly accessClientId?: string | undefined;
  readonly accessClientSecret?: string | undefined;
}

/** A deadline of `timeoutMs`, joined by the caller's `signal` when it gives one. */
export function deadlineSignal(timeoutMs: number, signal?: AbortSignal): AbortSignal {
  const deadline = AbortSignal.timeout(timeoutMs);
  return signal ? AbortSignal.any([signal, deadline]) : deadline;
}

function retryAfter(response: Response): number {
  const seconds = Number(response.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : defaultRetryAfterSeconds;
}

interface ErrorBody {
  readonly message: string;
  readonly code?: string;
  readonly reason?: string;
  readonly items?: RefusedItem[];
}

/** The `code` and `reason` members of an error body or one of its items, where they are strings. */
function codeAndReason(body: Partial<Record<string, unknown>>): { code?: string; reason?: string } {
  return {
    ...(typeof body.code === 'string' ? { code: body.code } : {}),
    ...(typeof body.reason === 'string' ? { reason: body.reason } : {}),
  };
}

/** The refused items a 400 names (`items: [{index, error, code?}]`), if every one is well-formed. */
function itemsOf(items: unknown): RefusedItem[] | undefined {
  if (!Array.isArray(items)) return undefined;
  const read = (items as Partial<Record<string, unknown>>[]).map((item) =>
    typeof item.index === 'number' && typeof item.error === 'string'
      ? { index: item.index, message: item.error, ...codeAndReason(item) }
      : undefined,
  );
  return read.every((item) => item !== undefined) ? read : undefined;
}

/** The backend's `{"error": "...", "code"?: "...", "items"?: [...]}`, or the status line when it sent no such body. */
async function errorBody(response: Response): Promise<ErrorBody> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as Partial<Record<keyof ErrorResponse, unknown>>;
    if (typeof body.error === 'string') {
      const items = itemsOf(body.items);
      return { message: body.error, ...codeAndReason(body), ...(items ? { items } : {}) };
    }
  } catch {
    // Not JSON: fall back to the status below.
  }
  return { message: `HTTP ${response.status}` };
}

/**
 * What every call to a backend carries: the request's `traceparent` (when made inside one), the bearer, and
 * Access's service-token pair when both halves are set.
 */
export function backendHeaders(credentials: BackendCredentials | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  const traceparent = outgoingTraceparent();
  if (traceparent !== undefined) headers['traceparent'] = traceparent;
  if (credentials?.token) headers['authorization'] = `Bearer ${credentials.token}`;
  if (credentials?.accessClientId && credentials.accessClientSecret) {
    headers['cf-access-client-id'] = credentials.accessClientId;
    headers['cf-access-client-secret'] = credentials.accessClientSecret;
  }
  return headers;
}

async function send(request: JsonRequest): Promise<Response> {
  try {
    return await fetch(request.url, {
      method: request.method,
      headers: {
        ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...backendHeaders(request.credentials),
      },
      body: request.body === undefined ? null : JSON.stringify(request.body),
      signal: deadlineSignal(request.timeoutMs, request.signal),
    });
  } catch (error) {
    // Abandoned by the caller, who waits for nothing: not a failure of the backend.
    if (request.signal?.aborted) throw request.signal.reason;
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    const why = timedOut ? `no answer within ${request.timeoutMs} ms` : 'it could not be reached';
    log('warn', `the inference backend is unavailable: ${why}`, { backend: request.url });
    throw new BackendError('unavailable', `the inference backend is unavailable: ${why}`);
  }
}

/** 4xx statuses that say the backend is busy or slow, not that the request is wrong. */
const transientStatuses = new Set([408, 429]);

async function failure(request: JsonRequest, response: Response): Promise<Error> {
  const { status } = response;
  const { message, code, items, reason } = await errorBody(response);
  const model = request.model ?? 'backend';
  if (status === 400) return new BackendInputError(model, message, code, items, reason);
  const logged = { backend: `${request.method} ${request.url}`, status, backendMessage: message };
  if (status === 401 || status === 403) {
    const detail = `the inference backend refused the edge's credential (HTTP ${status})`;
    log('error', `${detail}: BACKEND_TOKEN must be the backend's MODALFUSE_BACKEND_TOKEN`, logged);
    return new BackendError('unavailable', detail, retryAfter(response));
  }
  log('warn', `the inference backend answered ${status}`, logged);
  if (status === 404) {
    const what = request.model === undefined ? 'what the edge asked for' : `the model ${request.model}`;
    return new BackendError('unknown-model', `the backend does not serve ${what}`);
  }
  if (status >= 400 && status < 500 && !transientStatuses.has(status)) {
    return new BackendInputError(
      model,
      `the backend refused the request (HTTP ${status})`,
      codeFor(status, code),
    );
  }
  const busy = status === 429 || (status === 503 && response.headers.has('retry-after'));
  const detail = `the inference backend answered ${status}`;
  return new BackendError('unavailable', busy ? `${detail} (busy)` : detail, retryAfter(response), busy);
}

/** The adapter code of a refusal: the backend's own, else 413's `too-large` (so the client gets a 413). */
function codeFor(status: number, code: string | undefined): string | undefined {
  return code ?? (status === 413 ? 'too-large' : undefined);
}

/** The parsed body of a 2xx answer (JSON unless `read` says); throws a backend error otherwise. */
export async function requestJson(
  request: JsonRequest,
  read: (response: Response) => Promise<unknown> = (response) => response.json(),
): Promise<unknown> {
  const response = await send(request);
  if (!response.ok) throw await failure(request, response);
  try {
    return await read(response);
  } catch (error) {
    if (error instanceof BackendError) throw error;
    const detail = "the backend's answer is not JSON";
    log('warn', detail, { backend: `${request.method} ${request.url}` });
    throw new BackendError('bad-response', detail);
  }
}

/** Whether a GET answers 2xx within the deadline; never throws. */
export async function probe(
  url: string,
  timeoutMs: number,
  credentials?: BackendCredentials,
): Promise<boolean> {
  try {
    const response = await fetch(url, {
      headers: backendHeaders(credentials),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}
