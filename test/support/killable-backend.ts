/**
 * @module
 * A real backend process that tests may kill in the middle of their work and bring back, behind a loopback proxy
 * whose address stays the same across restarts (the Worker's `BACKEND_URL`). The control server: `POST
 * /kill-after/:n` arms a SIGKILL of the backend's process tree on the n-th next inference request (which, like
 * every request while the backend is dead, gets its connection reset, as from a crashed server); `GET /state`
 * answers `{alive, inferences}`; `POST /restart` starts a new backend process and waits until it listens. It serves
 * only the models named (a repository of links to them), so that it starts, and starts again, in a few seconds.
 * Every process it starts requires the same bearer token, random per harness (`token`: the Worker's `BACKEND_TOKEN`);
 * the proxy passes requests on as they came, so what the backend sees is the edge's credential or the lack of it.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  newBackendToken,
  repoRoot,
  startBackend,
  type BackendProcess,
} from '../../scripts/lib/backend-process.ts';
import { killTree } from './backend-control.ts';

export interface KillableBackend {
  readonly url: string;
  /** The bearer token every backend process it starts requires. */
  readonly token: string;
  readonly controlUrl: string;
  close(): Promise<void>;
}

function listen(server: ReturnType<typeof createServer>): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
}

function closeServer(server: ReturnType<typeof createServer>): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

/** `from`'s folders made anew under `to`, its files linked (the repository scan takes real folders only). */
async function linkTree(from: string, to: string): Promise<void> {
  await mkdir(to);
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const [source, target] = [join(from, entry.name), join(to, entry.name)];
    await (entry.isDirectory() ? linkTree(source, target) : symlink(source, target));
  }
}

/** A model repository holding only `models`, linked from the project's. */
async function repositoryOf(models: readonly string[]): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'modalfuse-killable-'));
  for (const model of models) await linkTree(join(repoRoot, 'models', model), join(root, model));
  return root;
}

export async function startKillableBackend(models: readonly string[]): Promise<KillableBackend> {
  const repository = await repositoryOf(models);
  const token = newBackendToken();
  const env = { MODALFUSE_MODEL_REPOSITORY: repository, MODALFUSE_BACKEND_TOKEN: token };
  const start = () => startBackend({ env });
  let backend: BackendProcess | undefined = await start();
  let killAt: number | undefined;
  let inferences = 0;

  function forward(incoming: IncomingMessage, outgoing: ServerResponse): void {
    const isInference = incoming.method === 'POST' && /\/infer$/.test(incoming.url ?? '');
    if (isInference) inferences++;
    if (isInference && killAt !== undefined && inferences >= killAt && backend?.child.pid !== undefined) {
      killTree(backend.child.pid);
      backend = undefined;
      killAt = undefined;
    }
    if (backend === undefined) return void incoming.socket.destroy();
    const target = new URL(incoming.url ?? '/', backend.url);
    const upstream = httpRequest(target, { method: incoming.method, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    upstream.on('error', () => incoming.socket.destroy());
    incoming.pipe(upstream);
  }

  async function control(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    const armed = /^\/kill-after\/(\d+)$/.exec(incoming.url ?? '');
    if (incoming.method === 'POST' && armed) killAt = inferences + Number(armed[1]);
    else if (incoming.method === 'POST' && incoming.url === '/restart') backend ??= await start();
    else if (incoming.url !== '/state') return void outgoing.writeHead(404).end();
    outgoing.writeHead(200, { 'content-type': 'application/json' });
    outgoing.end(JSON.stringify({ alive: backend !== undefined, inferences }));
  }

  const proxy = createServer(forward);
  const controller = createServer((incoming, outgoing) => {
    control(incoming, outgoing).catch((error: unknown) => outgoing.writeHead(500).end(String(error)));
  });
  const [url, controlUrl] = [await listen(proxy), await listen(controller)];
  return {
    url,
    token,
    controlUrl,
    async close() {
      await Promise.all([closeServer(proxy), closeServer(controller)]);
      await backend?.stop();
      await rm(repository, { recursive: true, force: true });
    },
  };
}
