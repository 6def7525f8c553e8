/**
 * @module
 * `npm start`: prepares the default model repository if needed (downloading the pretrained files that no model
 * place holds, see gpu-backend/model-builder/locate.ts), starts the backend (CPU where there is no GPU) and the edge
 * Worker under `wrangler dev`, wired together, and prints both URLs. Ctrl-C stops both.
 * Ports: MODALFUSE_BACKEND_PORT (8000) and MODALFUSE_EDGE_PORT (8787). The backend's bearer token is random per run
 * (or MODALFUSE_BACKEND_TOKEN when set) and given to the edge as BACKEND_TOKEN, so local runs go through auth.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { newBackendToken, prepareModels, repoRoot, startBackend } from './lib/backend-process.ts';
import { edgeBackendArgs } from './lib/edge-backend.ts';

const backendPort = Number(process.env.MODALFUSE_BACKEND_PORT ?? 8000);
const edgePort = Number(process.env.MODALFUSE_EDGE_PORT ?? 8787);
const wrangler = fileURLToPath(new URL('../node_modules/.bin/wrangler', import.meta.url));

async function waitForEdge(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(`${url}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the edge did not answer on ${url} within ${timeoutMs} ms`);
}

async function main(): Promise<void> {
  await prepareModels((line) => console.log(`[models] ${line}`));
  const token = process.env.MODALFUSE_BACKEND_TOKEN || newBackendToken();
  const backend = await startBackend({
    port: backendPort,
    env: { MODALFUSE_BACKEND_TOKEN: token },
    onLine: (line) => console.log(`[backend] ${line}`),
  });
  const secrets = edgeBackendArgs(backend);
  const edge = spawn(
    wrangler,
    ['dev', ...['--port', String(edgePort), '--ip', '127.0.0.1'], ...secrets.args],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
    },
  );
  const stopAll = async (code: number) => {
    edge.kill('SIGTERM');
    secrets.remove();
    await backend.stop();
    process.exit(code);
  };
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));
  edge.once('exit', (code) => void stopAll(code ?? 1));
  backend.child.once('exit', () => void stopAll(1));

  const edgeUrl = `http://127.0.0.1:${edgePort}`;
  await waitForEdge(edgeUrl, 120_000);
  console.log(
    `\nModalFuse is up.\n  edge (public API): ${edgeUrl}\n  backend (KServe v2): ${backend.url} (bearer token: MODALFUSE_BACKEND_TOKEN, random unless set)\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
