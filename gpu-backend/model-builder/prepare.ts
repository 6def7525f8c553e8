/**
 * @module
 * Prepares the default model repository: for each default model, skips it when its stamp matches (same source
 * hashes, same builder versions), otherwise verifies its sources (downloading them on request) and builds and
 * installs it atomically. Used by `npm run models`, the start script and tests.
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { audioRecipe } from './audio-model.ts';
import { downloadSource } from './download.ts';
import { htmlRecipe } from './html-model.ts';
import { imageRecipe } from './image-model.ts';
import { installModel, isUpToDate, removeStale } from '../model-repository/install.ts';
import type { ModelRecipe } from './recipe.ts';
import { SOURCES, SourceFileError, verifiedSource, type SourceFile } from './sources.ts';
import { textRecipe } from './text-model.ts';
import { vadRecipe } from './vad-model.ts';

/** Bumped when the way every model is written changes (layout, stamp format). */
export const BUILDER_VERSION = 1;

export const DEFAULT_RECIPES: readonly ModelRecipe[] = [
  textRecipe,
  imageRecipe,
  audioRecipe,
  vadRecipe,
  htmlRecipe,
];

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** MODALFUSE_MODEL_REPOSITORY (default `<repo>/models`) and MODALFUSE_MODELS_DIR (default `<repo>/../shared/models`). */
export function defaultPaths(env: NodeJS.ProcessEnv = process.env): {
  repository: string;
  modelsDir: string;
} {
  return {
    repository: resolve(env.MODALFUSE_MODEL_REPOSITORY || join(repoRoot, 'models')),
    modelsDir: resolve(env.MODALFUSE_MODELS_DIR || join(repoRoot, '..', 'shared', 'models')),
  };
}

export interface PrepareOptions {
  repository?: string;
  modelsDir?: string;
  log?: (line: string) => void;
  /** Rebuild every model even when its stamp says it is up to date. */
  force?: boolean;
  /** Fetch missing or wrong source files (from `baseUrl`, default MODALFUSE_MODELS_BASE_URL or their canonical URL). */
  download?: boolean;
  baseUrl?: string;
  /** Default: DEFAULT_RECIPES. */
  recipes?: readonly ModelRecipe[];
}

export interface ModelResult {
  name: string;
  status: 'built' | 'up to date';
  dir: string;
  ms: number;
}

export function stampOf(recipe: ModelRecipe): string {
  const sources = Object.fromEntries(recipe.sources.map((file) => [file, SOURCES[file].sha256]));
  return `${JSON.stringify({ builder: BUILDER_VERSION, recipe: recipe.version, settings: recipe.settings, sources }, null, 2)}\n`;
}

type Resolver = (file: SourceFile) => Promise<string>;

/** Verifies each source once per run; with `download`, a missing or wrong file is fetched and checked again. */
function sourceResolver(modelsDir: string, options: PrepareOptions, log: (line: string) => void): Resolver {
  const cache = new Map<SourceFile, Promise<string>>();
  const resolveOne = async (file: SourceFile): Promise<string> => {
    const source = SOURCES[file];
    try {
      return await verifiedSource(source, modelsDir);
    } catch (error) {
      if (!(error instanceof SourceFileError) || !options.download || source.from.kind !== 'models-dir')
        throw error;
      const baseUrl = options.baseUrl ?? (process.env.MODALFUSE_MODELS_BASE_URL || undefined);
      log(`${file}: downloading into ${modelsDir}`);
      await downloadSource(source, modelsDir, { baseUrl });
      return verifiedSource(source, modelsDir);
    }
  };
  return (file) => {
    const known = cache.get(file) ?? resolveOne(file);
    cache.set(file, known);
    return known;
  };
}

async function prepareOne(
  recipe: ModelRecipe,
  repository: string,
  force: boolean,
  sources: Resolver,
): Promise<ModelResult> {
  const started = performance.now();
  const dir = join(repository, recipe.name);
  const stamp = stampOf(recipe);
  if (!force && (await isUpToDate(dir, stamp))) {
    return { name: recipe.name, status: 'up to date', dir, ms: performance.now() - started };
  }
  const paths: Partial<Record<SourceFile, string>> = {};
  for (const file of recipe.sources) paths[file] = await sources(file);
  const built = await recipe.build(paths);
  await installModel(repository, recipe.name, built, stamp);
  return { name: recipe.name, status: 'built', dir, ms: performance.now() - started };
}

/** Makes sure every default model is present and current; returns what it did per model. */
export async function ensureDefaultRepository(options: PrepareOptions = {}): Promise<ModelResult[]> {
  const defaults = defaultPaths();
  const repository = resolve(options.repository ?? defaults.repository);
  const modelsDir = resolve(options.modelsDir ?? defaults.modelsDir);
  const log = options.log ?? (() => undefined);
  for (const entry of await removeStale(repository)) log(`removed ${entry} left by an interrupted run`);
  const sources = sourceResolver(modelsDir, options, log);
  const results: ModelResult[] = [];
  for (const recipe of options.recipes ?? DEFAULT_RECIPES) {
    const result = await prepareOne(recipe, repository, options.force ?? false, sources);
    log(
      result.status === 'built'
        ? `${result.name}: built in ${(result.ms / 1000).toFixed(2)} s`
        : `${result.name}: up to date`,
    );
    results.push(result);
  }
  return results;
}
