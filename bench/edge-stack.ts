/**
 * @module
 * The two Workers `bench:edge` compares, side by side in one workerd (one Miniflare): ModalFuse's Worker as
 * deployed (bundled by wrangler; its task Durable Objects, a Rate Limiting binding whose limit no run reaches, an
 * API key, the embedding cache on) and a bare pass-through Worker that forwards each request to the backend
 * unchanged. Each gets a direct socket on loopback, so that both are reached the same way: plain HTTP from Node.
 * Also reads the workerd process's CPU time (`cpu.ts`) for the CPU per request.
 */
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { Miniflare } from 'miniflare';
import { workerdCpuNs } from './cpu.ts';
import { bundleToTemp, modalfuseWorker, quietStdio } from './worker-stack.ts';

/** The bare proxy: the request's path and body to the backend, the backend's answer back, nothing else. */
const proxySource = `export default {
  fetch(request, env) {
    const url = new URL(request.url);
    return fetch(env.BACKEND_URL + url.pathname + url.search, request);
  },
};`;

/** The API key the bench sends (its SHA-256 is the Worker's `API_KEY_HASHES`). */
export const benchKey = 'bench-key-0123456789abcdef';

export interface EdgeStack {
  /** Where each Worker listens: `modalfuse` and `proxy`. */
  readonly urls: { readonly modalfuse: string; readonly proxy: string };
  /** CPU ns the workerd process has used so far; undefined where `/proc` cannot tell. */
  workerdCpuNs(): number | undefined;
  stop(): Promise<void>;
}

function miniflareFor(outdir: string, backendUrl: string): Miniflare {
  const keyHash = createHash('sha256').update(benchKey).digest('hex');
  const direct = [{ host: '127.0.0.1', port: 0 }];
  return new Miniflare({
    handleRuntimeStdio: quietStdio,
    workers: [
      {
        name: 'modalfuse',
        unsafeDirectSockets: direct,
        ...modalfuseWorker(outdir),
        ratelimits: { RATE_LIMITER: { simple: { limit: 1_000_000_000, period: 60 } } },
        bindings: { BACKEND_URL: backendUrl, API_KEY_HASHES: `bench:${keyHash}` },
      },
      {
        name: 'proxy',
        unsafeDirectSockets: direct,
        modules: true,
        script: proxySource,
        compatibilityDate: '2026-04-01',
        bindings: { BACKEND_URL: backendUrl },
      },
    ],
  });
}

export async function startEdgeStack(backendUrl: string): Promise<EdgeStack> {
  const outdir = await bundleToTemp();
  const miniflare = miniflareFor(outdir, backendUrl);
  await miniflare.ready;
  const origin = async (name: string) => (await miniflare.unsafeGetDirectURL(name)).origin;
  const urls = { modalfuse: await origin('modalfuse'), proxy: await origin('proxy') };
  return {
    urls,
    workerdCpuNs: workerdCpuNs(),
    stop: async () => {
      await miniflare.dispose();
      await rm(outdir, { recursive: true, force: true });
    },
  };
}
