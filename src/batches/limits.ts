/**
 * @module
 * What a batch may hold, checked before anything is queued: the input file's bytes, its lines, the bytes of one
 * line. Defaults below; a deployment may lower or raise them with `BATCH_MAX_FILE_BYTES`, `BATCH_MAX_LINES` and
 * `BATCH_MAX_LINE_BYTES`. Lines go to the queue `BATCH_LINES_PER_MESSAGE` at a time; a failure on our side is
 * retried after `BATCH_RETRY_SECONDS`, doubling with each attempt up to `BATCH_RETRY_MAX_SECONDS`.
 */
import type { Bindings } from '../env.ts';

export interface BatchLimits {
  readonly fileBytes: number;
  readonly lines: number;
  readonly lineBytes: number;
  readonly linesPerMessage: number;
  readonly retrySeconds: number;
  readonly retryMaxSeconds: number;
}

/** Defaults: OpenAI's 50 000 requests; the files within the request body limit (32 MiB) of one upload. */
export const defaultBatchLimits: BatchLimits = {
  fileBytes: 32 * 1024 * 1024,
  lines: 50_000,
  lineBytes: 2 * 1024 * 1024,
  linesPerMessage: 16,
  retrySeconds: 5,
  // Queues allow 12 hours; with 8 retries, 5 s doubling to 5 min rides out about 15 minutes of outage.
  retryMaxSeconds: 300,
};

function positive(value: string | undefined, fallback: number): number {
  const number = Number(value);
  return value !== undefined && Number.isInteger(number) && number >= 0 ? number : fallback;
}

export function batchLimits(env: Partial<Bindings> | undefined): BatchLimits {
  const defaults = defaultBatchLimits;
  return {
    fileBytes: positive(env?.BATCH_MAX_FILE_BYTES, defaults.fileBytes),
    lines: positive(env?.BATCH_MAX_LINES, defaults.lines),
    lineBytes: positive(env?.BATCH_MAX_LINE_BYTES, defaults.lineBytes),
    linesPerMessage: Math.max(1, positive(env?.BATCH_LINES_PER_MESSAGE, defaults.linesPerMessage)),
    retrySeconds: positive(env?.BATCH_RETRY_SECONDS, defaults.retrySeconds),
    retryMaxSeconds: positive(env?.BATCH_RETRY_MAX_SECONDS, defaults.retryMaxSeconds),
  };
}

/** The delay before attempt `attempts + 1` of a message: exponential, capped. */
export function retryDelaySeconds(limits: BatchLimits, attempts: number): number {
  return Math.min(limits.retryMaxSeconds, limits.retrySeconds * 2 ** Math.max(0, attempts - 1));
}
