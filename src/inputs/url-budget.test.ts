/**
 * A request's URL inputs share one budget: 256 of them are fetched at most 6 at a time, and their downloads stop
 * with a 413 naming the limit once their total passes it — declared by Content-Length or found while streaming.
 */
import { describe, expect, it } from 'vitest';
import { AdapterInputError } from '../../adapters/errors.ts';
import type { DohTransport } from './dns-guard.ts';
import { fetchUrlInput, type Transport } from './fetch-url.ts';
import { UrlBudget, urlBudgetLimits } from './url-budget.ts';

const MiB = 1024 * 1024;

const publicDoh: DohTransport = (url) => {
  const name = url.searchParams.get('name') ?? '';
  if (url.searchParams.get('type') !== 'A') return Promise.resolve(Response.json({ Status: 0 }));
  return Promise.resolve(Response.json({ Status: 0, Answer: [{ name, type: 1, data: '93.184.216.34' }] }));
};

/** A remote server answering `size` bytes per URL, streamed in 64 KiB chunks, after a tick; counts fetches at once. */
function server(size: number, withLength = true) {
  const seen = { fetches: 0, running: 0, most: 0 };
  const transport: Transport = async () => {
    seen.fetches++;
    seen.most = Math.max(seen.most, ++seen.running);
    await new Promise((resolve) => setTimeout(resolve, 2));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = Math.min(64 * 1024, size - sent);
        if (chunk <= 0) {
          seen.running--;
          controller.close();
          return;
        }
        sent += chunk;
        controller.enqueue(new Uint8Array(chunk));
      },
      cancel() {
        seen.running--;
      },
    });
    const headers = withLength ? { 'content-length': String(size) } : undefined;
    return new Response(body, { headers });
  };
  return { seen, transport };
}

function fetchAll(count: number, transport: Transport, budget: UrlBudget, maxBytes = 16 * MiB) {
  const dns = { dohUrl: 'https://doh.test/dns-query', transport: publicDoh };
  return Promise.allSettled(
    Array.from({ length: count }, (_, index) =>
      fetchUrlInput(`https://files.test/${index}.bin`, {
        maxBytes,
        timeoutMs: 5_000,
        transport,
        dns,
        budget,
      }),
    ),
  );
}

const refused = (results: PromiseSettledResult<unknown>[]) =>
  results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));

describe("a request's URL budget", () => {
  it('fetches 256 URL inputs at most 6 at a time', async () => {
    const { seen, transport } = server(1024);
    const results = await fetchAll(256, transport, new UrlBudget());
    expect(refused(results)).toEqual([]);
    expect(seen.fetches).toBe(256);
    expect(seen.most).toBe(6);
  });

  it.each([
    ['declared by Content-Length', true],
    ['found while streaming', false],
  ])('refuses downloads past the total (%s) with a 413 naming the limit', async (_, withLength) => {
    const { transport } = server(3 * MiB, withLength);
    const budget = new UrlBudget({ concurrency: 6, totalBytes: 8 * MiB });
    const errors = refused(await fetchAll(20, transport, budget));
    // Two files fit in 8 MiB; the rest are refused, each with the same problem.
    expect(errors.length).toBeGreaterThanOrEqual(18);
    for (const error of errors) {
      expect(error).toBeInstanceOf(AdapterInputError);
      const { code, status, message, details } = error as AdapterInputError;
      expect([code, status, details.limit]).toEqual(['too-large', 413, 8 * MiB]);
      expect(message).toMatch(
        /URL inputs are over their total limit of 8388608 bytes \(URL_FETCH_MAX_BYTES\)/,
      );
    }
  });

  it('takes its limits from the environment, defaulting to 6 at once and 32 MiB', () => {
    expect(urlBudgetLimits({})).toEqual({ concurrency: 6, totalBytes: 32 * MiB });
    expect(urlBudgetLimits({ URL_FETCH_CONCURRENCY: '2', URL_FETCH_MAX_BYTES: '1000' })).toEqual({
      concurrency: 2,
      totalBytes: 1000,
    });
    expect(urlBudgetLimits({ URL_FETCH_CONCURRENCY: '0', URL_FETCH_MAX_BYTES: 'lots' })).toEqual({
      concurrency: 6,
      totalBytes: 32 * MiB,
    });
  });
});
