/**
 * @module
 * Failures as one error type. {@link ApiError} is an answer other than 2xx — its message is the problem's title
 * and detail (problem+json) or the message of an OpenAI-shaped error (`/v1/embeddings`) — or no answer at all
 * (`status` 0: the API could not be reached). {@link ok} turns a typed response into its 2xx body or throws one.
 */
import type { ClientResponse } from 'hono/client';
import type { SuccessStatusCode } from 'hono/utils/http-status';

export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    /** The HTTP status, or 0 when the API gave no answer. */
    readonly status: number,
    message: string,
    /** The error's body: a problem (`{type, title, status, detail, code, …}`) or `{error: {message, …}}`. */
    readonly body: Readonly<Record<string, unknown>> = {},
    /** Seconds, from `Retry-After`. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }

  /** Worth trying again later: rate limited (429), overloaded or no backend (503), or unreachable. */
  get retryable(): boolean {
    return this.status === 0 || this.status === 429 || this.status === 503;
  }
}

function describe(status: number, statusText: string, body: Readonly<Record<string, unknown>>): string {
  const openAI = body.error as { message?: unknown } | undefined;
  const detail =
    typeof body.detail === 'string' ? body.detail : typeof openAI?.message === 'string' ? openAI.message : '';
  const title = typeof body.title === 'string' ? body.title : statusText || 'error';
  return `${status} ${title}${detail ? `: ${detail}` : ''}`;
}

/** The error a non-2xx response stands for (its body is read). */
export async function errorOf(response: Response): Promise<ApiError> {
  const parsed = (await response.json().catch(() => ({}))) as unknown;
  const body = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const retryAfter = Number(response.headers.get('retry-after') ?? Number.NaN);
  return new ApiError(
    response.status,
    describe(response.status, response.statusText, body),
    body,
    Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : undefined,
  );
}

/** The body of the 2xx answers among a typed response's variants (`undefined` for 204). */
export type OkBody<R> =
  R extends ClientResponse<infer T, infer S, infer F>
    ? S extends SuccessStatusCode
      ? S extends 204
        ? undefined
        : F extends 'json'
          ? T
          : never
      : never
    : never;

/** The parsed 2xx body of a typed call, or an {@link ApiError} thrown for any other answer. */
export async function ok<R extends ClientResponse<unknown, number, 'json' | 'text'>>(
  call: R | Promise<R>,
): Promise<OkBody<R>> {
  const response = (await call) as unknown as Response;
  if (!response.ok) throw await errorOf(response);
  if (response.status === 204) return undefined as OkBody<R>;
  return (await response.json()) as OkBody<R>;
}
