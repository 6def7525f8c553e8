/**
 * @module
 * One request's share of URL fetching: at most `concurrency` fetches at once (256 URL inputs must not open 256
 * connections) and at most `totalBytes` downloaded across all its URL inputs (the Worker has 128 MB; each input's
 * own limit alone would let a request pull 256 × 16 MiB). Past the total, the fetch that crossed it is stopped
 * and refused 413, and so is every later one. `URL_FETCH_CONCURRENCY` and `URL_FETCH_MAX_BYTES` set them.
 */
import { AdapterInputError } from '../../adapters/errors.ts';
import { Slots } from '../../adapters/shared/slots.ts';
import type { Bindings } from '../env.ts';

export interface UrlBudgetLimits {
  readonly concurrency: number;
  readonly totalBytes: number;
}

export const defaultUrlBudget: UrlBudgetLimits = { concurrency: 6, totalBytes: 32 * 1024 * 1024 };

function wholeAtLeastOne(value: string | undefined, fallback: number): number {
  const number = Number(value);
  return value !== undefined && Number.isInteger(number) && number >= 1 ? number : fallback;
}

export function urlBudgetLimits(env: Partial<Bindings> | undefined): UrlBudgetLimits {
  return {
    concurrency: wholeAtLeastOne(env?.URL_FETCH_CONCURRENCY, defaultUrlBudget.concurrency),
    totalBytes: wholeAtLeastOne(env?.URL_FETCH_MAX_BYTES, defaultUrlBudget.totalBytes),
  };
}

export class UrlBudget {
  private used = 0;

  private readonly slots: Slots;

  constructor(readonly limits: UrlBudgetLimits = defaultUrlBudget) {
    this.slots = new Slots(limits.concurrency);
  }

  /** Runs `fetch` once fewer than `concurrency` of the request's fetches are running. */
  run<T>(fetch: () => Promise<T>): Promise<T> {
    return this.slots.run(fetch);
  }

  /** Counts `bytes` more downloaded, or throws the 413 when the request's total passes its limit. */
  take(bytes: number): void {
    this.used += bytes;
    if (this.used > this.limits.totalBytes) throw this.exceeded();
  }

  /** Throws the 413 now if `bytes` more (a Content-Length) could not fit. */
  check(bytes: number): void {
    if (this.used + bytes > this.limits.totalBytes) throw this.exceeded();
  }

  private exceeded(): AdapterInputError {
    const { totalBytes } = this.limits;
    return new AdapterInputError(
      'too-large',
      `the request's URL inputs are over their total limit of ${totalBytes} bytes (URL_FETCH_MAX_BYTES): send fewer, or smaller, at a time`,
      { limit: totalBytes },
    );
  }
}
