/**
 * @module
 * Setup of the `stack` project (browser and CLI tests, in Node): the default models, the test media, the browser
 * build unpacked, a real backend process (with a bearer token random per run) and the Worker under `wrangler dev`
 * pointed at it (the token as its `BACKEND_TOKEN` secret), each on a free loopback port. Tests get the edge and
 * backend URLs and the media folder; teardown stops both processes and removes the Worker's local state (Durable
 * Object storage).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { newBackendToken, prepareModels, startBackend } from '../../scripts/lib/backend-process.ts';
import { chromiumBuild } from '../browser/chromium-build.ts';
import { makeFixtures } from '../support/fixtures.ts';
import { startEdge } from './edge-process.ts';

const fixtureDir = fileURLToPath(new URL('../fixtures/.generated/', import.meta.url));

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Unpacked once here (first run after `npm install`), not by two browser test files at the same time.
  const browser = chromiumBuild();
  await prepareModels((line) => console.log(`[models] ${line}`));
  await makeFixtures(fixtureDir);
  await browser;
  project.provide('fixtureDir', fixtureDir);
  const backend = await startBackend({ env: { MODALFUSE_BACKEND_TOKEN: newBackendToken() } });
  project.provide('stackBackendUrl', backend.url);
  const state = await mkdtemp(join(tmpdir(), 'modalfuse-stack-'));
  const log: string[] = [];
  const edge = await startEdge(backend, state, log).catch(async (error: unknown) => {
    await backend.stop();
    throw error;
  });
  project.provide('edgeUrl', edge.url);
  return async () => {
    await edge.stop();
    await backend.stop();
    await rm(state, { recursive: true, force: true });
  };
}
