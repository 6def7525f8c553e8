/**
 * @module
 * Setup of the `batch` project (the Batch API end to end, in workerd): the default models and one real backend of
 * its own, serving text-hash-256 only, which its tests kill and bring back (`test/support/killable-backend.ts`) —
 * its own, so that no other project's tests see it die. The Worker gets its bearer token as `BACKEND_TOKEN`.
 */
import type { TestProject } from 'vitest/node';
import { prepareModels } from '../../scripts/lib/backend-process.ts';
import { startKillableBackend } from '../support/killable-backend.ts';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await prepareModels((line) => console.log(`[models] ${line}`));
  const backend = await startKillableBackend(['text-hash-256']);
  project.provide('batchBackendUrl', backend.url);
  project.provide('batchBackendToken', backend.token);
  project.provide('batchControlUrl', backend.controlUrl);
  return () => backend.close();
}
