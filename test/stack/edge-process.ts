/**
 * @module
 * Starts the edge Worker under `wrangler dev` on free loopback ports (HTTP and inspector), with its own local state
 * in a fresh folder, pointed at a backend (its URL and token, as `npm start` hands them over), and waits until
 * `/healthz` answers: the stack a browser or a shell user talks to.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../../scripts/lib/backend-process.ts';
import { edgeBackendArgs, type EdgeBackend } from '../../scripts/lib/edge-backend.ts';

const wrangler = fileURLToPath(new URL('../../node_modules/.bin/wrangler', import.meta.url));

export interface EdgeProcess {
  readonly url: string;
  /** Sends SIGTERM and resolves when wrangler has exited. */
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

async function waitForHealth(url: string, exited: Promise<unknown>, timeoutMs: number): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !gone) {
    const ok = await fetch(`${url}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(gone ? 'wrangler dev exited before serving' : `wrangler dev did not serve ${url} in time`);
}

export async function startEdge(
  backend: EdgeBackend,
  persistTo: string,
  log: string[],
): Promise<EdgeProcess> {
  const [port, inspectorPort] = [await freePort(), await freePort()];
  const pointed = edgeBackendArgs(backend);
  const child = spawn(
    wrangler,
    ['dev', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspectorPort)]
      .concat(['--persist-to', persistTo, ...pointed.args])
      .concat(['--show-interactive-dev-session=false', '--log-level', 'warn']),
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
    },
  );
  const keep = (chunk: Buffer) => log.push(chunk.toString('utf8'));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = once(child, 'exit');
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    pointed.remove();
  };
  try {
    await waitForHealth(url, exited, 90_000);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${log.join('')}`, { cause: error });
  }
  return { url, stop };
}
