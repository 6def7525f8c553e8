import { describe, expect, it } from 'vitest';
import { continueTrace } from '../../adapters/shared/traceparent.ts';
import { withTrace } from '../trace-scope.ts';
import { TtlCache } from './ttl-cache.ts';

/** A load that settles when told, counting how often it was started. */
function controlledLoads() {
  const started: ((value: string) => void)[] = [];
  const load = () => new Promise<string>((resolve) => started.push(resolve));
  return { started, load };
}

describe('TtlCache', () => {
  it('shares a running load within one request, never with another request', async () => {
    const cache = new TtlCache<string>(60_000);
    const { started, load } = controlledLoads();
    const first = continueTrace(undefined);
    const a = withTrace(first, () => cache.get('m', load));
    const again = withTrace(first, () => cache.get('m', load));
    expect(started).toHaveLength(1);
    // Another request must not await the first one's promise: workerd cannot settle it there once the first ends.
    const b = withTrace(continueTrace(undefined), () => cache.get('m', load));
    expect(started).toHaveLength(2);
    started.forEach((resolve, i) => resolve(`v${i}`));
    expect([await a, await again, await b]).toEqual(['v0', 'v0', 'v1']);
  });

  it('gives a settled value to every request without loading again', async () => {
    const cache = new TtlCache<string>(60_000);
    const { started, load } = controlledLoads();
    const loading = withTrace(continueTrace(undefined), () => cache.get('m', load));
    started[0]?.('value');
    await loading;
    const later = withTrace(continueTrace(undefined), () => cache.get('m', load));
    expect(later).not.toBe(loading);
    expect(await later).toBe('value');
    expect(started).toHaveLength(1);
  });

  it('forgets a failed load', async () => {
    const cache = new TtlCache<string>(60_000);
    await expect(cache.get('m', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache.get('m', () => Promise.resolve('up'))).toBe('up');
  });
});
