/**
 * Five test projects:
 * - `node`: the backend, the adapters' backend faces and the model builders, in Node;
 * - `edge`: the Worker and the adapters' edge faces, inside workerd;
 * - `e2e`: the Worker inside workerd talking to a real backend process on the default models;
 * - `batch`: the Batch API end to end inside workerd, against a real backend of its own that its tests kill;
 * - `stack`: in Node, a browser (the Chromium build from npm, via playwright-core) and the `modalfuse` CLI against
 *   the Worker under `wrangler dev` and a real backend.
 */
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

const wrangler = { configPath: './wrangler.toml' };

// Tests download no model: only mirrors on loopback (the download tests' own servers) are asked; every process a
// test starts inherits this.
process.env.MODALFUSE_DOWNLOADS = 'loopback-only';

/** The media corpus, imported as data URLs (`?inline`, so that workerd gets it too), whatever the file extension. */
const mediaCorpus = ['**/test/fixtures/media/{audio,image,video}/**', '**/test/fixtures/ocr/**'];

const nodeOnlyStub = '\0mediabunny-node-stub';

/**
 * mediabunny's `browser` field maps its Node-only file reader (`./node.js`, which imports `node:fs/promises`) to
 * nothing; wrangler's bundler honours that when it builds the Worker, the workerd test pool's resolver does not, so
 * this does it for the Worker's tests.
 */
const mediabunnyBrowserField: Plugin = {
  name: 'mediabunny-browser-field',
  enforce: 'pre',
  resolveId: (id, importer) =>
    id === './node.js' && importer?.includes('/node_modules/mediabunny/') ? nodeOnlyStub : undefined,
  load: (id) => (id === nodeOnlyStub ? 'export const fs = undefined;' : undefined),
};

/**
 * The Worker's WebAssembly kernels (`src/heads/kernel/*.wasm`) for the tests that load the app in Node (its
 * OpenAPI document): compiled modules, as wrangler and the workerd pool import them, not Vite's ES-module wasm.
 */
const wasmAsCompiledModule: Plugin = {
  name: 'wasm-as-compiled-module',
  enforce: 'pre',
  load: (id) =>
    id.endsWith('.wasm')
      ? `import { readFileSync } from 'node:fs';\nexport default new WebAssembly.Module(readFileSync(${JSON.stringify(id)}));`
      : undefined,
};

/**
 * Every fetch a Worker under test makes goes through here: loopback is passed on (the real backend in e2e),
 * anything else is answered 502 without touching the network, so no test can reach the internet.
 */
async function loopbackOnly(request: Request): Promise<Response> {
  const { hostname } = new URL(request.url);
  if (hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]') {
    // Re-issued with Node's fetch, which sets its own framing headers.
    const headers = new Headers(request.headers);
    headers.delete('content-length');
    headers.delete('host');
    const body = ['GET', 'HEAD'].includes(request.method) ? undefined : await request.arrayBuffer();
    return fetch(request.url, { method: request.method, headers, body });
  }
  return new Response(`tests have no network: ${hostname}`, { status: 502 });
}

/** The batch queue's consumers as wrangler.toml has them, but delivering at once and dead-lettering sooner. */
function fastBatchQueue(maxRetries: number) {
  return {
    'modalfuse-batch': {
      maxBatchSize: 4,
      maxBatchTimeout: 0,
      maxRetries,
      deadLetterQueue: 'modalfuse-batch-dlq',
    },
    'modalfuse-batch-dlq': { maxBatchSize: 10, maxBatchTimeout: 0 },
  };
}

export default defineConfig({
  test: {
    // In CI a JSON report as well, from which .ci/run prints one closing "N passed, N failed" line.
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test-results.json' }]] : ['default'],
    projects: [
      {
        assetsInclude: mediaCorpus,
        plugins: [wasmAsCompiledModule],
        test: {
          name: 'node',
          environment: 'node',
          include: [
            'gpu-backend/**/*.test.ts',
            'adapters/**/preprocess.test.ts',
            'adapters/**/*.node.test.ts',
            'scripts/**/*.test.ts',
            'test/node/**/*.test.ts',
          ],
          globalSetup: ['test/node/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        plugins: [
          cloudflareTest({
            wrangler,
            // A small limit, so that the rate-limit tests reach it in a few requests (one fixed window). Batches'
            // lines meet a backend that is down (nothing listens on the discard port), retried within seconds.
            miniflare: {
              outboundService: loopbackOnly,
              ratelimits: { RATE_LIMITER: { namespace_id: '1001', simple: { limit: 20, period: 60 } } },
              bindings: { BACKEND_URL: 'http://127.0.0.1:9', BATCH_RETRY_SECONDS: '1' },
              queueConsumers: fastBatchQueue(2),
            },
          }),
          mediabunnyBrowserField,
        ],
        assetsInclude: mediaCorpus,
        test: {
          name: 'edge',
          // One module graph per workerd for all its files: loading the Worker's modules once instead of per
          // file cut this project's wall time by about 4× (tests keep their own names and tenants).
          isolate: false,
          include: [
            'src/**/*.test.ts',
            'adapters/**/edge.test.ts',
            'adapters/*.test.ts',
            'test/edge/**/*.test.ts',
          ],
        },
      },
      {
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler,
            miniflare: {
              bindings: { BACKEND_URL: inject('backendUrl'), BACKEND_TOKEN: inject('backendToken') },
              outboundService: loopbackOnly,
            },
          })),
          mediabunnyBrowserField,
        ],
        assetsInclude: mediaCorpus,
        test: {
          name: 'e2e',
          // One module graph per workerd for all its files: loading the Worker's modules once instead of per
          // file cut this project's wall time by about 4× (tests keep their own names and tenants).
          isolate: false,
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          setupFiles: ['test/support/settle-deferred.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
      {
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler,
            miniflare: {
              bindings: {
                BACKEND_URL: inject('batchBackendUrl'),
                BACKEND_TOKEN: inject('batchBackendToken'),
                BATCH_RETRY_SECONDS: '1',
                BATCH_RETRY_MAX_SECONDS: '2',
                BATCH_LINES_PER_MESSAGE: '4',
              },
              outboundService: loopbackOnly,
              queueConsumers: fastBatchQueue(20),
            },
          })),
          mediabunnyBrowserField,
        ],
        assetsInclude: mediaCorpus,
        test: {
          name: 'batch',
          // One module graph per workerd for all its files: loading the Worker's modules once instead of per
          // file cut this project's wall time by about 4× (tests keep their own names and tenants).
          isolate: false,
          include: ['test/batch/**/*.test.ts'],
          globalSetup: ['test/batch/global-setup.ts'],
          setupFiles: ['test/support/settle-deferred.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'stack',
          environment: 'node',
          include: ['test/browser/**/*.test.ts', 'test/cli/**/*.test.ts', 'test/stack/**/*.test.ts'],
          globalSetup: ['test/stack/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
