/**
 * @module
 * End-to-end setup, in Node: prepares the default model repository, makes the test media (and reads photographs
 * that npm packages ship), and starts the real backend process (onnxruntime on CPU) on a free loopback port. The
 * Worker under test gets its URL as `BACKEND_URL` and the bearer token it was started with (random per run) as
 * `BACKEND_TOKEN`, as `npm start` wires them; teardown stops the backend with SIGTERM (graceful drain) and waits for it to exit. Tests that
 * need more backends (the pool's failover) start and kill them through a loopback control server; a local server
 * speaking the TEI / HF Inference API stands in for the Hugging Face provider, and one speaking DNS-over-HTTPS for
 * the resolver that vets URL inputs.
 */
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { newBackendToken, prepareModels, startBackend } from '../scripts/lib/backend-process.ts';
import { startBackendControl } from './support/backend-control.ts';
import { startDohServer } from './support/doh-server.ts';
import { makeFixtures } from './support/fixtures.ts';
import { photoFixtures } from './support/photos.ts';
import { startTeiServer } from './support/tei-server.ts';

const fixtureDir = fileURLToPath(new URL('./fixtures/.generated/', import.meta.url));

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await prepareModels((line) => console.log(`[models] ${line}`));
  project.provide('fixtures', await makeFixtures(fixtureDir));
  project.provide('photos', await photoFixtures());
  const onLine = (line: string) => {
    if (process.env.MODALFUSE_TEST_VERBOSE) console.log(`[backend] ${line}`);
  };
  const backendToken = newBackendToken();
  const backend = await startBackend({ onLine, env: { MODALFUSE_BACKEND_TOKEN: backendToken } });
  project.provide('backendUrl', backend.url);
  project.provide('backendToken', backendToken);
  const control = await startBackendControl(onLine, { MODALFUSE_BACKEND_TOKEN: backendToken });
  project.provide('backendControlUrl', control.url);
  const tei = await startTeiServer('tei-test-token');
  project.provide('teiUrl', tei.url);
  const doh = await startDohServer();
  project.provide('dohUrl', doh.url);
  return async () => {
    await doh.close();
    await tei.close();
    await control.close();
    const code = await backend.stop();
    if (code !== 0) throw new Error(`backend exited with code ${code} after SIGTERM`);
  };
}
