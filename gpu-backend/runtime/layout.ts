/**
 * @module
 * Where the backend finds the files it loads at run time: the adapters' backend faces (`preprocess`), the session
 * worker's entry and the repository root (package.json, the default `models/`). Run from the sources (tsx) they sit
 * beside this file as `.ts`; run from the build (`npm run build:backend`) every entry and shared chunk sits at the top
 * of `dist/backend/`, the adapters under `dist/backend/adapters/`, as `.js`. Which one is told by this module's own
 * URL, so neither needs a flag.
 */
const here = import.meta.url;

/** True when running from `dist/backend/` (bundled `.js`), false from the TypeScript sources. */
export const isBuilt = !here.endsWith('.ts');

const extension = isBuilt ? '.js' : '.ts';

/** The folder holding `<adapter>/preprocess.{ts,js}`. */
export const adaptersDir = new URL(isBuilt ? './adapters/' : '../../adapters/', here);

/** The file name of an adapter's backend face, in this layout. */
export const preprocessFile = `preprocess${extension}`;

/** The session worker thread's entry. */
export const sessionWorkerScript = new URL(`./session-worker${extension}`, here);

/** The repository (or image) root, two folders up in both layouts: package.json and the default `models/`. */
export const appRoot = new URL('../../', here);
