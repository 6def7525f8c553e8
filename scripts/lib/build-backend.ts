/**
 * @module
 * `npm run build:backend`: the backend as plain JavaScript in `dist/backend/`, run with `node dist/backend/main.js`
 * (what the Docker images run; no tsx at run time). esbuild bundles the project's own code and leaves every npm
 * package external, so the image installs them with `npm ci --omit=dev`. Besides `main`, the session worker's
 * thread entry and each adapter's backend face (`adapters/<name>/preprocess.js`, loaded by name from a model's
 * config) are entries of their own; code splitting keeps the modules they share in one copy, so an error class an
 * adapter throws is the same class the server checks for. Chunks sit at the top of `dist/backend/` beside `main.js`,
 * which is what `gpu-backend/runtime/layout.ts` counts on.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';

// Computed here rather than imported, so the images' build stage needs nothing of scripts/ but these two files.
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export const DEFAULT_OUTDIR = join(repoRoot, 'dist', 'backend');

/** Entry name (its path under the output folder, without `.js`) → source file. */
export function backendEntries(root = repoRoot): Record<string, string> {
  const entries: Record<string, string> = {
    main: join(root, 'gpu-backend/main.ts'),
    'session-worker': join(root, 'gpu-backend/runtime/session-worker.ts'),
  };
  for (const adapter of readdirSync(join(root, 'adapters'), { withFileTypes: true })) {
    const file = join(root, 'adapters', adapter.name, 'preprocess.ts');
    if (adapter.isDirectory() && existsSync(file)) entries[`adapters/${adapter.name}/preprocess`] = file;
  }
  return entries;
}

export interface BuildOptions {
  /** More entries (name → source), built beside `main` so they share its chunks (the GPU pack's scripts). */
  readonly entries?: Record<string, string>;
  /**
   * Bundle the npm packages too, all but these (native ones, loaded from `node_modules/` at run time): for a
   * folder that carries no `node_modules/` of its own beyond them (`bench/gpu/pack.ts`). Unset: every package
   * stays external, as the images want.
   */
  readonly external?: readonly string[];
  /** Linked source maps (default true). */
  readonly sourcemap?: boolean;
}

/**
 * CommonJS packages bundled into ESM call `require` for Node's built-ins; an ESM chunk has none, so each chunk
 * makes its own.
 */
const requireBanner =
  "import { createRequire as __modalfuseRequire } from 'node:module'; const require = __modalfuseRequire(import.meta.url);";

/** Builds into `outdir` (emptied first) and returns esbuild's metafile: inputs, outputs, imports. */
export async function buildBackend(outdir = DEFAULT_OUTDIR, options: BuildOptions = {}): Promise<Metafile> {
  rmSync(outdir, { recursive: true, force: true });
  const { entries = {}, external, sourcemap = true } = options;
  const result = await build({
    entryPoints: { ...backendEntries(), ...entries },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    ...(external
      ? { external: [...external], banner: { js: requireBanner } }
      : { packages: 'external' as const }),
    chunkNames: 'chunk-[hash]',
    sourcemap: sourcemap ? 'linked' : false,
    metafile: true,
    logLevel: 'warning',
  });
  return result.metafile;
}
