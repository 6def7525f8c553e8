/**
 * @module
 * `modalfuse tasks list` pages through every task: against a local server imitating the API's paging (pages
 * joined by `cursor`), all pages are read and printed; a server that hands back the same cursor again is
 * reported instead of looped on.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { TaskSummary } from '#client';
import { cli } from './helpers.ts';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

const summary = (id: string) => ({
  id,
  labels: 2,
  modalities: ['text'],
  version: 1,
  updatedAt: '2026-11-28',
});

/** Answers `GET /v1/tasks` from `pages`, keyed by the cursor asked for ('' for the first page). */
async function pagedApi(pages: Record<string, { data: object[]; cursor?: string }>): Promise<string> {
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const page = url.pathname === '/v1/tasks' ? pages[url.searchParams.get('cursor') ?? ''] : undefined;
    response.writeHead(page ? 200 : 404, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify(page ?? { title: 'Not Found', status: 404, detail: `no page ${url.search}` }),
    );
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return `http://127.0.0.1:${address.port}`;
}

describe('tasks list', () => {
  it('reads every page', async () => {
    const url = await pagedApi({
      '': { data: [summary('a'), summary('b')], cursor: 'after-b' },
      'after-b': { data: [summary('c')], cursor: 'after-c' },
      'after-c': { data: [] },
    });
    const run = await cli('--url', url, '--json', 'tasks', 'list');
    expect(run.code).toBe(0);
    expect((JSON.parse(run.out) as TaskSummary[]).map((task) => task.id)).toEqual(['a', 'b', 'c']);
    expect((await cli('--url', url, 'tasks', 'list')).out.split('\n').slice(1)).toEqual([
      'a   2       text        2026-11-28',
      'b   2       text        2026-11-28',
      'c   2       text        2026-11-28',
    ]);
  });

  it('stops with a message when the API repeats a cursor', async () => {
    const url = await pagedApi({ '': { data: [summary('a')], cursor: 'x' }, x: { data: [], cursor: 'x' } });
    const run = await cli('--url', url, 'tasks', 'list');
    expect(run).toMatchObject({
      code: 1,
      err: expect.stringContaining('the same cursor twice (x)') as string,
    });
  });
});
