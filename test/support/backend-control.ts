/**
 * @module
 * A loopback control server for tests that run inside workerd and cannot spawn processes: `POST /backends`
 * starts one more real backend process and answers `{id, url}` (a JSON body `{"env": {...}}` adds `MODALFUSE_*`
 * variables to its environment); `POST /backends/:id/kill` kills it abruptly
 * (SIGKILL, no drain, as a crash would); `POST /backends/:id/stop` stops it gracefully (SIGTERM). `close()` stops
 * whatever is still running and the server itself.
 */
import { execFileSync } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startBackend, type BackendProcess } from '../../scripts/lib/backend-process.ts';

export interface BackendControl {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * SIGKILL to the backend's whole process tree: `tsx` runs the server in a child `node`, which a signal to `tsx`
 * alone would leave running (and listening).
 */
function childrenOf(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return []; // pgrep exits 1 when there are none
  }
}

export function killTree(pid: number): void {
  for (const child of childrenOf(pid)) killTree(child);
  process.kill(pid, 'SIGKILL');
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** The `MODALFUSE_*` variables of a start request's JSON body (`{"env": {...}}`); none without a body. */
async function extraEnv(request: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return {};
  const { env = {} } = JSON.parse(text) as { env?: Record<string, unknown> };
  const entries = Object.entries(env).filter(([name]) => name.startsWith('MODALFUSE_'));
  return Object.fromEntries(entries.map(([name, value]) => [name, String(value)]));
}

/** `env`: what every backend it starts gets (the e2e run's `MODALFUSE_BACKEND_TOKEN`). */
export async function startBackendControl(
  onLine?: (line: string) => void,
  env: Record<string, string> = {},
): Promise<BackendControl> {
  const backends = new Map<number, BackendProcess>();
  let nextId = 0;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const match = /^\/backends(?:\/(\d+)\/(kill|stop))?$/.exec(request.url ?? '');
    if (request.method !== 'POST' || match === null) return reply(response, 404, { error: 'no such route' });
    const [, id, action] = match;
    if (id === undefined) {
      const extra = { ...env, ...(await extraEnv(request)) };
      const backend = await startBackend(onLine === undefined ? { env: extra } : { onLine, env: extra });
      backends.set(nextId, backend);
      return reply(response, 201, { id: nextId++, url: backend.url });
    }
    const backend = backends.get(Number(id));
    if (backend === undefined) return reply(response, 404, { error: `no backend ${id}` });
    backends.delete(Number(id));
    if (action === 'kill' && backend.child.pid !== undefined) killTree(backend.child.pid);
    const code = await backend.stop();
    return reply(response, 200, { id: Number(id), code });
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => reply(response, 500, { error: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      await Promise.all([...backends.values()].map((backend) => backend.stop()));
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
