/**
 * @module
 * What a model lets into preprocessing, decided before anything is decoded: raw items (a 60 s FLAC of silence is a
 * few kilobytes and decodes to tens of megabytes) would otherwise all be decoded at once, before the queue bound is
 * ever consulted. Three bounds: the items admitted at once (the queue bound, counting those still preprocessing),
 * the decodes in flight (`max_concurrent_preprocess`), and the bytes one request's feeds may hold
 * (`max_request_feed_bytes`, 413 past it, the rest of its items left undecoded).
 */
import { Slots } from '../../adapters/shared/slots.ts';
import type { Feeds } from '../../adapters/types.ts';
import type { ModelConfig } from '../model-repository/config.ts';
import { overloaded, StatusError } from './errors.ts';

export interface AdmissionLimits {
  /** Items preprocessing, queued or running at once; a request that does not fit is refused 503 (unless idle). */
  readonly maxPendingItems: number;
  readonly maxConcurrent: number;
  readonly maxRequestFeedBytes: number;
}

export const DEFAULT_MAX_CONCURRENT_PREPROCESS = 4;
export const DEFAULT_MAX_REQUEST_FEED_BYTES = 256 * 1024 * 1024;

function positiveParameter(config: ModelConfig, name: string, fallback: number): number {
  const raw = config.parameters[name]?.string_value;
  if (raw === undefined) return fallback;
  if (!/^\s*\d+\s*$/.test(raw) || !(Number(raw) >= 1)) {
    throw new Error(`parameter ${name} must be a whole number of at least 1, got "${raw}"`);
  }
  return Number(raw);
}

export function admissionLimits(config: ModelConfig, maxQueueSize: number): AdmissionLimits {
  return {
    maxPendingItems: maxQueueSize,
    maxConcurrent: positiveParameter(config, 'max_concurrent_preprocess', DEFAULT_MAX_CONCURRENT_PREPROCESS),
    maxRequestFeedBytes: positiveParameter(config, 'max_request_feed_bytes', DEFAULT_MAX_REQUEST_FEED_BYTES),
  };
}

const feedBytes = (feeds: Feeds): number =>
  Object.values(feeds).reduce((sum, tensor) => sum + tensor.data.byteLength, 0);

export class Admission {
  private pending = 0;
  private readonly slots: Slots;

  constructor(readonly limits: AdmissionLimits) {
    this.slots = new Slots(limits.maxConcurrent);
  }

  /** Items admitted and not yet answered. */
  depth(): number {
    return this.pending;
  }

  /** Admits `count` items or refuses them 503; the caller calls the returned release once they are answered. */
  admit(count: number): () => void {
    const { maxPendingItems } = this.limits;
    if (this.pending > 0 && this.pending + count > maxPendingItems) {
      throw overloaded(
        `the queue is full (${this.pending} of ${maxPendingItems} items admitted): retry later`,
      );
    }
    this.pending += count;
    let released = false;
    return () => {
      if (!released) this.pending -= count;
      released = true;
    };
  }

  /**
   * Each item preprocessed, at most `maxConcurrent` at once across requests, settled in order; once the request's
   * feeds pass `maxRequestFeedBytes`, its items not yet started are refused unread with the 413.
   */
  async preprocessAll(
    items: readonly Uint8Array[],
    preprocess: (bytes: Uint8Array) => Promise<Feeds>,
  ): Promise<PromiseSettledResult<Feeds>[]> {
    let held = 0;
    let overBudget: StatusError | undefined;
    return Promise.allSettled(
      items.map((bytes) =>
        this.slots.run(async () => {
          if (overBudget) throw overBudget;
          const feeds = await preprocess(bytes);
          held += feedBytes(feeds);
          if (held > this.limits.maxRequestFeedBytes) {
            overBudget = new StatusError(
              413,
              `the request's inputs decode to more than ${this.limits.maxRequestFeedBytes} bytes of model input, the limit (max_request_feed_bytes): send fewer at a time`,
            );
            throw overBudget;
          }
          return feeds;
        }),
      ),
    );
  }
}
