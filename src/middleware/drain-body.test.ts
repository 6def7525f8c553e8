/**
 * A 4xx decided before the body is read still reads it to the end before answering, so that the connection is
 * not closed on an upload in progress (a client saw 3 dropped connections in 20 tries of a 100 KB body with an
 * unknown modality). Each body here is a stream that counts what the Worker pulled from it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { bindings, fetchWorker } from '../../test/edge/helpers.ts';

const size = 100 * 1024;

/** A 100 KB JSON body, streamed in 4 KiB chunks, with an unknown modality key first; `pulled` counts bytes read. */
function streamedBody() {
  const text = `{"task":"drain-body","inputs":{"smell":"${'r'.repeat(size)}"}}`;
  const bytes = new TextEncoder().encode(text);
  const seen = { pulled: 0, total: bytes.length };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = bytes.subarray(seen.pulled, seen.pulled + 4096);
      if (chunk.length === 0) return controller.close();
      seen.pulled += chunk.length;
      controller.enqueue(chunk);
    },
  });
  return { body, seen };
}

const routes: [string, string, string, number][] = [
  ['an unknown modality', '/v1/classify', 'application/json', 400],
  ['a content type the route does not take', '/v1/classify', 'text/plain', 415],
  ['a route that does not exist', '/v1/nothing-here', 'application/json', 404],
];

const env = () => bindings({ RATE_LIMITER: undefined });

describe('draining the body of an early refusal', () => {
  beforeAll(async () => {
    const init = { method: 'POST', headers: { 'content-type': 'application/json' } };
    const task = JSON.stringify({ id: 'drain-body', labels: ['a', 'b'] });
    const created = await fetchWorker(
      new Request('http://edge.test/v1/tasks', { ...init, body: task }),
      env(),
    );
    expect([201, 409]).toContain(created.status);
  });

  it.each(routes)(
    'answers %s 20 times out of 20, the body read to its end',
    async (_, path, type, status) => {
      for (let attempt = 0; attempt < 20; attempt++) {
        const { body, seen } = streamedBody();
        const request = new Request(`http://edge.test${path}`, {
          method: 'POST',
          headers: { 'content-type': type },
          body,
          duplex: 'half',
        } as RequestInit);
        const response = await fetchWorker(request, env());
        expect(response.status).toBe(status);
        expect(response.headers.get('content-type')).toBe('application/problem+json');
        expect((await response.json()) as object).toMatchObject({ status });
        expect(seen.pulled).toBe(seen.total);
      }
    },
  );
});
