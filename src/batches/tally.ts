/**
 * @module
 * A batch's request counts and token usage, summed from its object's `lines` table (never stored twice).
 */
import type { Batch } from './schema.ts';

export type Tally = Pick<Batch, 'request_counts' | 'usage'>;

/** The request counts and token usage, from the lines' results. */
export function tallyOf(sql: SqlStorage): Tally {
  const [row] = sql
    .exec<{
      total: number;
      completed: number;
      failed: number;
      tokens: number | null;
      cached: number | null;
    }>(
      `SELECT count(*) AS total, count(CASE outcome WHEN 'output' THEN 1 END) AS completed,
         count(CASE outcome WHEN 'error' THEN 1 END) AS failed, sum(tokens) AS tokens,
         sum(cached_tokens) AS cached FROM lines`,
    )
    .toArray();
  const tokens = row?.tokens ?? 0;
  return {
    request_counts: { total: row?.total ?? 0, completed: row?.completed ?? 0, failed: row?.failed ?? 0 },
    usage: {
      input_tokens: tokens,
      input_tokens_details: { cached_tokens: row?.cached ?? 0 },
      output_tokens: 0,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: tokens,
    },
  };
}
