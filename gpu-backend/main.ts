/**
 * @module
 * `npm run backend`: reads the environment, chooses the execution provider, listens, loads and warms every
 * model of the repository, then prints the one line that says it is ready:
 * `ModalFuse backend listening on http://HOST:PORT (execution provider: cpu)`. SIGTERM/SIGINT drain
 * in-flight requests (30 s at most), release the sessions and exit 0. With `MODALFUSE_BACKEND_TOKEN` every route
 * but the probes needs that bearer token; beyond loopback it refuses to start without one (`server/auth.ts`).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appRoot } from './runtime/layout.ts';
import { chooseExecutionProvider, parseExecutionSettings } from './runtime/execution-provider.ts';
import { onnxProviderProbe } from './runtime/provider-probe.ts';
import { ModelRegistry } from './runtime/registry.ts';
import { parseWarmupMode } from './runtime/warmup.ts';
import { scanRepository } from './model-repository/scan.ts';
import { createApp } from './server/app.ts';
import { isLoopback, readAuthSettings } from './server/auth.ts';
import { listen, serverUrl, type RunningServer } from './server/lifecycle.ts';

const DRAIN_TIMEOUT_MS = 30_000;
const repoRoot = fileURLToPath(appRoot);

const warn = (line: string): void => void process.stderr.write(`WARN ${line}\n`);
const error = (line: string): void => void process.stderr.write(`ERROR ${line}\n`);
const info = (line: string): void => void process.stdout.write(`${line}\n`);

function fail(message: string): never {
  error(message);
  process.exit(1);
}

/** `MODALFUSE_METADATA_PARAMETERS`: `on` (default) or `off` (metadata as a plain Triton's, without parameters). */
function readPlainMetadata(value: string | undefined): boolean {
  if (value === undefined || value === '' || value === 'on') return false;
  if (value === 'off') return true;
  throw new Error(`MODALFUSE_METADATA_PARAMETERS must be "on" or "off", got "${value}"`);
}

function readSettings(env: NodeJS.ProcessEnv) {
  const port = Number(env.MODALFUSE_BACKEND_PORT ?? '8000');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(
      `MODALFUSE_BACKEND_PORT must be a port number (0 for any), got "${env.MODALFUSE_BACKEND_PORT}"`,
    );
  }
  const host = env.MODALFUSE_BACKEND_HOST || '127.0.0.1';
  return {
    host,
    port,
    auth: readAuthSettings(env, host),
    root: resolve(env.MODALFUSE_MODEL_REPOSITORY || resolve(repoRoot, 'models')),
    execution: parseExecutionSettings(env),
    warmup: parseWarmupMode(env.MODALFUSE_WARMUP),
    plainMetadata: readPlainMetadata(env.MODALFUSE_METADATA_PARAMETERS),
  };
}

function onSignals(running: RunningServer, registry: ModelRegistry, state: { draining: boolean }): void {
  const stop = async (signal: string): Promise<void> => {
    if (state.draining) return fail(`${signal} again while draining: exiting now`);
    state.draining = true;
    info(`${signal}: stopping, ${running.inFlight()} request(s) in flight`);
    for (const model of registry.models()) model.flush();
    const drained = await running.drain(DRAIN_TIMEOUT_MS);
    if (!drained) warn(`requests still running after ${DRAIN_TIMEOUT_MS} ms were cut off`);
    await registry.release();
    info('ModalFuse backend stopped');
    process.exit(drained ? 0 : 1);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, (name) => void stop(name));
}

async function main(): Promise<void> {
  const settings = readSettings(process.env);
  // Fail before anything else when there is nothing to serve.
  await scanRepository(settings.root);
  const decision = await chooseExecutionProvider(settings.execution, onnxProviderProbe);
  if (decision.warning) warn(decision.warning);
  if (settings.warmup !== 'full')
    warn(
      `MODALFUSE_WARMUP=${settings.warmup}: the first requests pay the first-call costs warm-up would have`,
    );
  const registry = new ModelRegistry({
    root: settings.root,
    provider: decision.provider,
    settings: settings.execution,
    warmup: settings.warmup,
    info,
    warn,
    error,
  });
  const { version } = JSON.parse(readFileSync(resolve(repoRoot, 'package.json'), 'utf8')) as {
    version: string;
  };
  const state = { draining: false };
  const app = createApp({
    registry,
    version,
    provider: decision.provider,
    isDraining: () => state.draining,
    logError: error,
    logRequest: info,
    auth: settings.auth,
    plainMetadata: settings.plainMetadata,
  });
  if (!settings.auth.token && !isLoopback(settings.host))
    warn(`MODALFUSE_BACKEND_INSECURE=1: every route on ${settings.host} is open to whoever can reach it`);
  const running = await listen(app, settings.host, settings.port);
  onSignals(running, registry, state);
  await registry.loadAll();
  const url = serverUrl(settings.host, running.port);
  info(`ModalFuse backend listening on ${url} (execution provider: ${decision.provider})`);
}

main().catch((cause: unknown) => fail(cause instanceof Error ? cause.message : String(cause)));
