/**
 * @module
 * What a batch's Durable Object stores of it: the {@link Batch} OpenAI shows, without the counts and the usage
 * (which the object sums from its lines), plus the tenant and, while finalizing, the status it finalizes to.
 */
import type { Batch, BatchStatus } from './schema.ts';

export type BatchRecord = Omit<Batch, 'request_counts' | 'usage'> & {
  readonly tenant: string;
  /** While `finalizing` or `cancelling`: the status the batch ends in. */
  readonly finalTo?: BatchStatus;
};

export const terminalStatuses: ReadonlySet<BatchStatus> = new Set([
  'failed',
  'completed',
  'expired',
  'cancelled',
]);

/** Unix seconds, as OpenAI's times are. */
export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** One request's result: a line of the output file or of the error file. */
export interface LineResult {
  readonly line: number;
  readonly outcome: 'output' | 'error';
  /** The JSONL line, `{id, custom_id, response, error}`; when `spilled`, the R2 key that holds it (`spill.ts`). */
  readonly text: string;
  /** The line's bytes, when too big for the object's row and written to R2 instead. */
  readonly spilled?: number;
  /** The input tokens its answer reports (`usage.prompt_tokens`), summed into the batch's `usage`; default 0. */
  readonly tokens?: number;
  /** Of those, the ones the embedding cache answered (`usage.input_tokens_details.cached_tokens`); default 0. */
  readonly cachedTokens?: number;
}

/** A line of an output or error file, in OpenAI's shape. */
export function resultLine(
  customId: string,
  response: { status_code: number; request_id: string; body: unknown } | null,
  error: { code: string; message: string } | null,
): string {
  const id = `batch_req_${crypto.randomUUID().replaceAll('-', '')}`;
  return JSON.stringify({ id, custom_id: customId, response, error });
}
