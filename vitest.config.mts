/**
 * Three test projects:
 * - `node`: the backend, the adapters' backend faces and the model builders, in Node;
 * - `edge`: the Worker and the adapters' edge faces, inside workerd;
 * - `e2e`: the Worker inside workerd talking to a real backend process on the default models.
 */
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

const wrangler = { configPath: './wrangler.toml' };

export default defineConfig({
  test: {
    projects: [
      {
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
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        plugins: [cloudflareTest({ wrangler })],
        test: {
          name: 'edge',
          include: ['src/**/*.test.ts', 'adapters/**/edge.test.ts', 'adapters/*.test.ts'],
        },
      },
      {
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler,
            miniflare: { bindings: { BACKEND_URL: inject('backendUrl') } },
          })),
        ],
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
