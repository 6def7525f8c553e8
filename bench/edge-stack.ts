/**
 * @module
 * The Workers `bench:edge` compares, side by side in one workerd (one Miniflare): ModalFuse's Worker as deployed
 * (bundled by wrangler; its task Durable Objects, a Rate Limiting binding whose limit no run reaches, an API key, the
 * embedding cache on), the same Worker with the cache off, and the reference Workers of `edge-workers.ts` (the
 * bare proxy, the floor, and the floor making the cache's Cache API calls). Each gets a direct socket on
 * loopback, so that all are reached the same way: plain HTTP from Node. The ModalFuse copies have Durable Objects
 * of their own: a task must be made in each.
 * Also reads the workerd process's CPU time (`cpu.ts`) for the CPU per request.
 */
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { Miniflare, convertV4MiniflareOptions } from 'miniflare';
import { workerdCpuNs } from './cpu.ts';
import { floorSource, proxySource } from './edge-workers.ts';
import type { EdgeBackend } from '../scripts/lib/edge-backend.ts';
import {
  backendBindings,
  bundleToTemp,
  modalfuseWorker,
  quietLogs,
  quietStdio,
  workerCompatibility,
} from './worker-stack.ts';

/** The API key the bench sends (its SHA-256 is the Worker's `API_KEY_HASHES`). */
export const benchKey = 'bench-key-0123456789abcdef';

export const workerNames = ['proxy', 'floor', 'floor-cached', 'uncached', 'modalfuse'] as const;

export type WorkerName = (typeof workerNames)[number];

export interface EdgeStack {
  /** Where each Worker listens. */
  readonly urls: Readonly<Record<WorkerName, string>>;
  /** CPU ns the workerd process has used so far; undefined where `/proc` cannot tell. */
  workerdCpuNs(): number | undefined;
  stop(): Promise<void>;
}

function miniflareFor(outdir: string, backend: EdgeBackend, inspectorPort?: number): Miniflare {
  const keyHash = createHash('sha256').update(benchKey).digest('hex');
  const direct = [{ host: '127.0.0.1', port: 0 }];
  // A queue has one consumer: the copy with its cache off only produces (no batch runs here).
  const { queueConsumers, ...worker } = modalfuseWorker(outdir);
  const modalfuse = {
    ...worker,
    unsafeDirectSockets: direct,
    ratelimits: {
      RATE_LIMITER: { namespace_id: '1001', simple: { limit: 1_000_000_000, period: 60 as const } },
    },
  };
  const reference = (name: string, script: string, extra: Record<string, string> = {}) => ({
    name,
    unsafeDirectSockets: direct,
    modules: true,
    script,
    ...workerCompatibility,
    bindings: { ...backendBindings(backend), ...extra },
  });
  const bindings = { ...backendBindings(backend), API_KEY_HASHES: `bench:${keyHash}` };
  return new Miniflare(
    convertV4MiniflareOptions({
      ...(inspectorPort === undefined ? {} : { inspectorPort }),
      handleRuntimeStdio: quietStdio,
      handleStructuredLogs: quietLogs,
      workers: [
        { name: 'modalfuse', ...modalfuse, queueConsumers, bindings },
        { name: 'uncached', ...modalfuse, bindings: { ...bindings, EMBEDDING_CACHE_TTL_SECONDS: '0' } },
        reference('proxy', proxySource),
        reference('floor', floorSource),
        reference('floor-cached', floorSource, { CACHE_CALLS: '1' }),
      ],
    }),
  );
}

/** `inspectorPort`: workerd's V8 inspector listens there (`edge-profile.ts`); none by default. */
export async function startEdgeStack(backend: EdgeBackend, inspectorPort?: number): Promise<EdgeStack> {
  const outdir = await bundleToTemp();
  const miniflare = miniflareFor(outdir, backend, inspectorPort);
  await miniflare.ready;
  const origin = async (name: string) => (await miniflare.unsafeGetDirectURL(name)).origin;
  const urls = Object.fromEntries(
    await Promise.all(workerNames.map(async (name) => [name, await origin(name)] as const)),
  ) as Record<WorkerName, string>;
  return {
    urls,
    workerdCpuNs: workerdCpuNs(),
    stop: async () => {
      await miniflare.dispose();
      await rm(outdir, { recursive: true, force: true });
    },
  };
}
