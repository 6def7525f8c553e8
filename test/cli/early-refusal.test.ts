/**
 * @module
 * Early refusals of large bodies against the Worker under `wrangler dev`: 20 POSTs of a 100 KB JSON body with an
 * unknown modality (and with a content type the route does not take), each uploaded in chunks over its own
 * connection, must each get its problem+json answer — never a reset or a closed socket (3 of 20 were, before the
 * edge drained the unread body, `src/middleware/drain-body.ts`).
 */
import { request } from 'node:http';
import { describe, expect, inject, it } from 'vitest';

const body = Buffer.from(`{"task":"colours","inputs":{"smell":"${'r'.repeat(100 * 1024)}"}}`);

/** Status, content type and body of one POST whose body is written in 8 KiB chunks; rejects on a socket error. */
function post(url: URL, type: string): Promise<{ status: number; type: string; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent: false, headers: { 'content-type': type } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          type: String(res.headers['content-type']),
          text: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.on('error', reject);
    for (let at = 0; at < body.length; at += 8192) req.write(body.subarray(at, at + 8192));
    req.end();
  });
}

describe('early refusals under wrangler dev', () => {
  it.each([
    ['an unknown modality', 'application/json'],
    ['a content type the route does not take', 'text/plain'],
  ])('answers %s in a 100 KB body 20 times out of 20', async (_, type) => {
    const url = new URL('/v1/classify', inject('edgeUrl'));
    const answers = [];
    for (let attempt = 0; attempt < 20; attempt++) answers.push(await post(url, type));
    for (const answer of answers) {
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      expect(answer.type).toBe('application/problem+json');
      expect(JSON.parse(answer.text)).toMatchObject({ status: answer.status });
    }
  });
});
