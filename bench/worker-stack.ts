/**
 * @module
 * The edge Worker for benchmarks: bundled by wrangler (`deploy --dry-run`, offline) and run by Miniflare in
 * workerd with the task and batch Durable Objects, R2 and the batch queue (settings as in wrangler.toml), pointed at a
 * backend. No rate limiter binding, so a benchmark's hundreds of
 * requests are not throttled; everything else is the Worker as deployed.
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Readable } from 'node:stream';
import { Miniflare, convertV4MiniflareOptions } from 'miniflare';
import { parse } from 'smol-toml';
import type { EdgeBackend } from '../scripts/lib/edge-backend.ts';
import { workerdCpuNs } from './cpu.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const wrangler = join(root, 'node_modules/.bin/wrangler');

const deployed = parse(readFileSync(join(root, 'wrangler.toml'), 'utf8')) as {
  compatibility_date: string;
  compatibility_flags?: string[];
};
/** The runtime the deployed Worker asks for (wrangler.toml), for every Worker a benchmark runs. */
export const workerCompatibility = {
  compatibilityDate: deployed.compatibility_date,
  compatibilityFlags: deployed.compatibility_flags ?? [],
};

export interface WorkerStack {
  /** Sends a request to the Worker; `path` starts with `/`. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** CPU ns the workerd process has used so far (`cpu.ts`); undefined where `/proc` cannot tell. */
  cpuNs(): number | undefined;
  stop(): Promise<void>;
}

/** The Worker as `wrangler deploy` would upload it, written to `outdir` (`index.js` and its modules). */
async function bundle(outdir: string): Promise<void> {
  const child = spawn(wrangler, ['deploy', '--dry-run', '--outdir', outdir], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`wrangler deploy --dry-run failed (${code}): ${stderr.slice(-2000)}`);
}

/** `bindings` are added to the Worker's (`EMBEDDING_CACHE_TTL_SECONDS: '0'` turns its cache off). */
/** Bundles the Worker into a new temporary folder; returns the folder (removed again if bundling fails). */
export async function bundleToTemp(): Promise<string> {
  const outdir = await mkdtemp(join(tmpdir(), 'modalfuse-bench-worker-'));
  try {
    await bundle(outdir);
    return outdir;
  } catch (error) {
    await rm(outdir, { recursive: true, force: true });
    throw error;
  }
}

/** The bundled Worker in `outdir` as Miniflare runs it, with its task Durable Objects. */
export function modalfuseWorker(outdir: string) {
  return {
    // The bundle's modules listed (Miniflare 5's v4 options have no `modulesRules`): index.js first, and the
    // WebAssembly kernels wrangler writes beside it, imported as compiled modules.
    modules: [
      { type: 'ESModule' as const, path: join(outdir, 'index.js') },
      ...readdirSync(outdir)
        .filter((file) => file.endsWith('.wasm'))
        .map((file) => ({ type: 'CompiledWasm' as const, path: join(outdir, file) })),
    ],
    // Module names are paths relative to this; the default (the working directory) would climb out with '..'.
    modulesRoot: outdir,
    ...workerCompatibility,
    durableObjects: {
      TASK_OBJECTS: { className: 'TaskObject', useSQLite: true },
      TASK_INDEX: { className: 'TaskIndex', useSQLite: true },
      BATCH_OBJECTS: { className: 'BatchObject', useSQLite: true },
    },
    r2Buckets: ['BATCH_FILES'],
    queueProducers: { BATCH_QUEUE: { queueName: 'modalfuse-batch' } },
    queueConsumers: {
      'modalfuse-batch': {
        maxBatchSize: 4,
        maxBatchTimeout: 1,
        maxRetries: 8,
        deadLetterQueue: 'modalfuse-batch-dlq',
      },
      'modalfuse-batch-dlq': { maxBatchSize: 10, maxBatchTimeout: 1 },
    },
  };
}

/** The Worker logs a JSON line per request; a benchmark prints tables. Errors still come through. */
export function quietStdio(stdout: Readable, stderr: Readable): void {
  stdout.resume();
  stderr.on('data', (chunk: Buffer) => {
    if (chunk.toString().includes('"level":"error"')) process.stderr.write(chunk);
  });
}

/** The same for Miniflare 5, which hands the Worker's console lines to this instead (its default prints them). */
export function quietLogs(log: { readonly level: string; readonly message: string }): void {
  if (log.level === 'error' || log.message.includes('"level":"error"'))
    process.stderr.write(`${log.message}\n`);
}

/** The bindings that point a Worker at `backend`: its URL and, as the deployed Worker's secret, its token. */
export function backendBindings(backend: EdgeBackend): Record<string, string> {
  return {
    BACKEND_URL: backend.url,
    ...(backend.token === undefined ? {} : { BACKEND_TOKEN: backend.token }),
  };
}

export async function startWorker(
  backend: EdgeBackend,
  bindings: Readonly<Record<string, string>> = {},
): Promise<WorkerStack> {
  const outdir = await bundleToTemp();
  const miniflare = new Miniflare(
    convertV4MiniflareOptions({
      ...modalfuseWorker(outdir),
      bindings: { ...bindings, ...backendBindings(backend) },
      handleRuntimeStdio: quietStdio,
      handleStructuredLogs: quietLogs,
    }),
  );
  await miniflare.ready;
  return {
    fetch: async (path, init) =>
      (await miniflare.dispatchFetch(`http://bench.local${path}`, init as never)) as unknown as Response,
    cpuNs: workerdCpuNs(),
    stop: async () => {
      await miniflare.dispose();
      await rm(outdir, { recursive: true, force: true });
    },
  };
}
