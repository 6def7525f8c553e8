import { afterEach, describe, expect, it, vi } from 'vitest';
import { continueTrace } from './traceparent.ts';

afterEach(() => vi.restoreAllMocks());

describe('continueTrace', () => {
  it('starts distinct, well-formed traces, drawing random bytes in blocks rather than per request', () => {
    const draw = vi.spyOn(crypto, 'getRandomValues');
    const traces = Array.from({ length: 1000 }, () => continueTrace(undefined));
    for (const trace of traces) expect(trace.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(new Set(traces.map((trace) => trace.traceId)).size).toBe(1000);
    expect(new Set(traces.map((trace) => trace.spanId)).size).toBe(1000);
    expect(draw.mock.calls.length).toBeLessThanOrEqual(Math.ceil((1000 * 24) / 4096) + 1);
  });

  it('keeps a valid caller trace id with a new span of its own', () => {
    const incoming = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const trace = continueTrace(incoming);
    expect(trace).toMatchObject({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      parentId: 'b7ad6b7169203331',
    });
    expect(trace.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(trace.spanId).not.toBe('b7ad6b7169203331');
  });
});
