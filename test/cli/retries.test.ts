/**
 * @module
 * `examples add` under load shedding, against a local server imitating a busy API: 429 with `Retry-After` and
 * 503 are retried with backoff until the examples are in; a 4xx refusal is not retried; an outage that outlasts
 * the retries ends the run with the items already added recorded for the next one.
 */
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, createModalFuseClient, ok, withRetries } from '#client';
import { teachFolder } from '../../cli/teach.ts';

type Answer = { status: number; headers?: Record<string, string> };

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** Answers POSTs from a script of statuses (then 200), GETs with 200; records every POSTed body. */
async function busyApi(script: Answer[], bodies: unknown[]): Promise<string> {
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const answer = request.method === 'POST' ? (script.shift() ?? { status: 200 }) : { status: 200 };
      if (request.method === 'POST' && answer.status === 200)
        bodies.push(JSON.parse(Buffer.concat(chunks).toString()));
      const type = answer.status === 200 ? 'application/json' : 'application/problem+json';
      response.writeHead(answer.status, { 'content-type': type, ...answer.headers });
      response.end(
        JSON.stringify(answer.status === 200 ? { added: 1 } : { title: 'Busy', detail: 'try later' }),
      );
    });
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return `http://127.0.0.1:${address.port}`;
}

async function textFolder(count: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'modalfuse-retry-'));
  await mkdir(join(dir, 'red'));
  for (let i = 0; i < count; i++) await writeFile(join(dir, 'red', `${i}.txt`), `red thing ${i}`);
  return dir;
}

const fast = { attempts: 4, baseDelayMs: 5, maxDelayMs: 50 };

describe('retries', () => {
  it('retries 429 (honouring Retry-After) and 503 until the examples are in', async () => {
    const bodies: unknown[] = [];
    const url = await busyApi([{ status: 429, headers: { 'retry-after': '0' } }, { status: 503 }], bodies);
    const dir = await textFolder(3);
    const options = {
      task: 't',
      dir,
      statePath: join(dir, 'state.json'),
      concurrency: 1,
      batch: 1,
      retry: fast,
    };
    const summary = await teachFolder(createModalFuseClient({ baseUrl: url }), options);
    expect(summary).toMatchObject({ items: 3, added: 3, failed: [] });
    expect(bodies).toHaveLength(3);
  });

  it('does not retry a refusal', async () => {
    const bodies: unknown[] = [];
    const url = await busyApi([{ status: 400 }], bodies);
    let calls = 0;
    const api = createModalFuseClient({ baseUrl: url });
    const refused = withRetries(() => {
      calls += 1;
      return ok(api.classify({ task: 't', inputs: { text: 'x' } }));
    }, fast);
    await expect(refused).rejects.toMatchObject({ status: 400, message: '400 Busy: try later' });
    expect(calls).toBe(1);
  });

  it('gives up on a long outage, keeping what was added for the next run', async () => {
    const url = await busyApi([{ status: 200 }, ...Array.from({ length: 8 }, () => ({ status: 503 }))], []);
    const dir = await textFolder(3);
    const statePath = join(dir, 'state.json');
    const run = teachFolder(createModalFuseClient({ baseUrl: url }), {
      task: 't',
      dir,
      statePath,
      concurrency: 1,
      batch: 1,
      retry: fast,
    });
    await expect(run).rejects.toBeInstanceOf(ApiError);
    expect(JSON.parse(await readFile(statePath, 'utf8'))).toEqual({ task: 't', done: ['red/0'] });
  });
});
