/**
 * @module
 * Setup of the `node` project: the model builders' and the backend's tests read the pretrained source files from
 * the places locate.ts names, and the adapters' conformance suite serves the default repository. So both are made
 * sure of first, as `npm start` does, except that tests download nothing (`MODALFUSE_DOWNLOADS=loopback-only`, set
 * in vitest.config.mts): on a machine where no place holds them (ours have `../shared/models`) this stops, naming
 * the files and `npm run models`, which fetches them once into the per-user cache. Then the repository is built.
 */
import { gatherSources } from '../../gpu-backend/model-builder/gather.ts';
import { modelPlaces } from '../../gpu-backend/model-builder/locate.ts';
import { SOURCE_FILES, SOURCES } from '../../gpu-backend/model-builder/sources.ts';
import { prepareModels } from '../../scripts/lib/backend-process.ts';

export default async function setup(): Promise<void> {
  const log = (line: string) => console.log(`[models] ${line}`);
  const pretrained = SOURCE_FILES.filter((file) => SOURCES[file].from.kind === 'models-dir');
  await gatherSources(pretrained, {
    places: modelPlaces(),
    baseUrl: process.env.MODALFUSE_MODELS_BASE_URL || undefined,
    log,
  });
  await prepareModels(log);
}
