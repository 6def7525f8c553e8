/**
 * @module
 * `modalfuse evaluate` against an API without the evaluation route: a local proxy in front of the real stack
 * answers `POST /v1/tasks/{id}/evaluate` with the app's own 404 `no-route` problem and passes everything else on,
 * so the CLI must fall back to classifying item by item, and say so.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Evaluation } from '../../cli/evaluate.ts';
import { cli, labelledFolder } from './helpers.ts';

let proxy: Server;
let proxyUrl: string;

beforeAll(async () => {
  proxy = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method === 'POST' && /\/evaluate$/.test(request.url ?? '')) {
        response.writeHead(404, { 'content-type': 'application/problem+json' });
        response.end(JSON.stringify({ title: 'Not Found', status: 404, code: 'no-route' }));
        return;
      }
      const body = ['GET', 'HEAD', 'DELETE'].includes(request.method ?? '')
        ? undefined
        : Buffer.concat(chunks);
      const headers = { 'content-type': request.headers['content-type'] ?? 'application/json' };
      void fetch(`${inject('edgeUrl')}${request.url}`, { method: request.method, headers, body }).then(
        async (answer) => {
          response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? '' });
          response.end(Buffer.from(await answer.arrayBuffer()));
        },
      );
    });
  }).listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  const address = proxy.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  proxyUrl = `http://127.0.0.1:${address.port}`;
});

afterAll(() => new Promise<void>((resolve) => proxy.close(() => resolve())));

describe('evaluate without the API route', () => {
  it('classifies item by item under every strategy and tallies accuracy', async () => {
    expect((await cli('tasks', 'create', 'cli-fallback', '--labels', 'red,blue')).code).toBe(0);
    expect(
      (await cli('examples', 'add', '--task', 'cli-fallback', await labelledFolder([0, 1, 2]))).code,
    ).toBe(0);
    const heldOut = await labelledFolder([3]);
    const run = await cli('--url', proxyUrl, '--json', 'evaluate', '--task', 'cli-fallback', heldOut);
    expect(run.code).toBe(0);
    const evaluation = JSON.parse(run.out) as Evaluation;
    expect(evaluation).toMatchObject({ source: 'client', items: 2, failed: [] });
    expect(evaluation.strategies.map((row) => row.name)).toEqual(
      expect.arrayContaining(['weighted', 'product']),
    );
    expect(evaluation.strategies.find((row) => row.name === 'weighted')).toEqual({
      name: 'weighted',
      n: 2,
      accuracy: 1,
    });
    expect(evaluation.modalities.map((row) => row.name).sort()).toEqual(['audio', 'image', 'text']);
    const text = await cli('--url', proxyUrl, 'evaluate', '--task', 'cli-fallback', heldOut);
    expect(text.out).toMatch(/^2 item\(s\), evaluated client-side/);
    expect(text.out).toMatch(/\nweighted\s+2\s+1\.000\s+n\/a\s+n\/a/);
  });
});
