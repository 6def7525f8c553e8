/**
 * @module
 * Retrying what is worth retrying: {@link withRetries} runs a call again after a 429, a 503 or no answer, with
 * exponential backoff and jitter, waiting as long as `Retry-After` asks when the API says. Anything else — a
 * refusal of the request itself, a missing task, a bad key — fails at once.
 */
import { ApiError } from './errors.ts';

export interface RetryOptions {
  /** Tries in all, the first included (default 5). */
  readonly attempts?: number;
  /** The first backoff; it doubles each time (default 250 ms). */
  readonly baseDelayMs?: number;
  /** No wait is longer, `Retry-After` included (default 10 s). */
  readonly maxDelayMs?: number;
}

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
