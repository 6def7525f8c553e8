/**
 * @module
 * A small typed fetch layer over the ModalFuse HTTP API for the CLI (the typed client of `client/` did not exist
 * when this was written). Every failure becomes an {@link ApiError} carrying the problem's title and detail (or an
 * OpenAI-shaped error's message), and `withRetries` retries what is worth retrying: 429, 503 and unreachable.
 */

export interface Scores {
  readonly label: string;
  readonly score: number;
}

export interface Classification {
  readonly task: string;
  readonly label: string;
  readonly scores: readonly Scores[];
  readonly modalities: Readonly<Record<string, { label: string; scores: readonly Scores[]; weight: number }>>;
  readonly missing: readonly { modality: string; reason: string; detail?: string }[];
  readonly fusion: { strategy: string; weights: Record<string, number> };
}

export interface Task {
  readonly id: string;
  readonly labels: readonly string[];
  readonly modalities: Readonly<Record<string, { model: string; head: string; examples: number }>>;
  readonly fusion: { strategy: string; weights: Record<string, number> };
  readonly version: number;
  readonly updatedAt: string;
}

export interface TaskSummary {
  readonly id: string;
  readonly labels: number;
  readonly modalities: readonly string[];
  readonly version: number;
  readonly updatedAt: string;
}

export interface Model {
  readonly id: string;
  readonly modality: string;
  readonly dimension: number;
}

export interface Embedding {
  readonly index: number;
  readonly embedding: readonly number[];
}

/** An answer other than 2xx, or no answer at all (`status` 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: Record<string, unknown> = {},
    /** Seconds, from `Retry-After`. */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get retryable(): boolean {
    return this.status === 0 || this.status === 429 || this.status === 503;
  }
}

export interface ApiOptions {
  readonly url: string;
  readonly apiKey?: string;
}

function describe(status: number, statusText: string, body: Record<string, unknown>): string {
  const openAI = body.error as { message?: string } | undefined;
  const detail = typeof body.detail === 'string' ? body.detail : openAI?.message;
  const title = typeof body.title === 'string' ? body.title : statusText || 'error';
  return `${status} ${title}${detail ? `: ${detail}` : ''}`;
}

export type Api = <T>(method: string, path: string, body?: unknown) => Promise<T>;

export function createApi(options: ApiOptions): Api {
  const base = options.url.replace(/\/+$/, '');
  return async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(base + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new ApiError(0, `cannot reach ${base} (${cause}); is the API running? (see --url)`);
    }
    if (response.status === 204) return undefined as T;
    const parsed = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (response.ok) return parsed as T;
    const retryAfter = Number(response.headers.get('retry-after') ?? Number.NaN);
    const message = describe(response.status, response.statusText, parsed);
    throw new ApiError(
      response.status,
      message,
      parsed,
      Number.isFinite(retryAfter) ? retryAfter : undefined,
    );
  };
}

export interface RetryOptions {
  readonly attempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
}

/** Retries a call on 429/503/unreachable with exponential backoff and jitter, honouring `Retry-After`. */
export async function withRetries<T>(work: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { attempts = 5, baseDelayMs = 250, maxDelayMs = 10_000 } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof ApiError) || !error.retryable || attempt >= attempts) throw error;
      const backoff = baseDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2);
      const delay = Math.min(maxDelayMs, error.retryAfter !== undefined ? error.retryAfter * 1000 : backoff);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
