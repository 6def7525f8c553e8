/**
 * @module
 * Setup of the `node` project: the model builders' and the backend's tests read the pretrained source files from
 * the places locate.ts names, so they are made sure of first, as `npm start` does (downloaded into the per-user
 * cache on a machine that has none of them; on ours they sit in `../shared/models`).
 */
import { prepareModels } from '../../scripts/lib/backend-process.ts';

export default async function setup(): Promise<void> {
  await prepareModels((line) => console.log(`[models] ${line}`));
}
