/**
 * @module
 * Closed-loop load for the backend benchmark: `clients` loops each sending the next request as soon as the
 * previous one answered, for a fixed window; throughput counts items answered, latencies are per request.
 */

export interface CellResult {
  /** Items (sentences or images) answered per second. */
  readonly throughput: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  /** Free-form detail (e.g. the batch size used). */
  readonly note?: string;
  /** CPU ms spent per item by everything the row runs (client and server); undefined when unknown. */
  readonly cpuMsPerItem?: number | undefined;
}

/** Cumulative CPU ms of what a row runs, or undefined when it cannot be read. */
export type CpuClock = () => number | undefined;

/** CPU ms per item between two readings of a {@link CpuClock}. */
export function cpuPerItem(before: number | undefined, after: number | undefined, items: number) {
  return before === undefined || after === undefined || items === 0 ? undefined : (after - before) / items;
}

function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

/** Summarises latencies (ms) and a count of items over `seconds`. */
export function summarise(latencies: number[], items: number, seconds: number, errors = 0): CellResult {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { throughput: items / seconds, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), errors };
}

/**
 * Runs `send(index)` from `clients` loops for `windowMs`; `send` resolves with the items it answered (throws on
 * an error, which is counted). Requests in flight at the end are awaited but not counted in the throughput; the
 * CPU per item (from `cpu`) covers them.
 */
export async function closedLoop(
  clients: number,
  windowMs: number,
  send: (index: number) => Promise<number>,
  cpu: CpuClock = () => undefined,
): Promise<CellResult> {
  const latencies: number[] = [];
  let items = 0;
  let answered = 0;
  const cpuBefore = cpu();
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const end = started + windowMs;
  const loop = async () => {
    while (performance.now() < end) {
      const at = performance.now();
      try {
        const count = await send(next++);
        answered += count;
        if (performance.now() <= end) {
          items += count;
          latencies.push(performance.now() - at);
        }
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, loop));
  const cpuMsPerItem = cpuPerItem(cpuBefore, cpu(), answered);
  return { ...summarise(latencies, items, windowMs / 1000, errors), cpuMsPerItem };
}
