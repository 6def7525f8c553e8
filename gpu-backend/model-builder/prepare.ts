/**
 * @module
 * Prepares the default model repository: for each default model, skips it when its stamp matches (same source
 * hashes, same builder versions), otherwise gathers its verified sources (downloading the missing ones, see
 * gather.ts) and builds and installs it atomically. Used by `npm run models`, the start script and tests.
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { audioRecipe } from './audio-model.ts';
import { conseRecipe } from './conse-model.ts';
import { gatherSources } from './gather.ts';
import { htmlRecipe } from './html-model.ts';
import { imageRecipe } from './image-model.ts';
import { imageTextRecipe, ocrDetectionRecipe, ocrRecognitionRecipe } from './ocr-model.ts';
import { installModel, isUpToDate, removeStale } from '../model-repository/install.ts';
import { modelPlaces, type ModelPlaces } from './locate.ts';
import type { ModelRecipe } from './recipe.ts';
import type { ProgressSink } from '../hub-pull/resumable.ts';
import { SOURCES, type SourceFile } from './sources.ts';
import { textRecipe } from './text-model.ts';
import { useLiteHtmlRecipe, useLiteTextRecipe } from './use-lite-model.ts';
import { vadRecipe } from './vad-model.ts';
import { videoAudioRecipe, videoFramesRecipe, videoTextRecipe } from './video-model.ts';

/** Bumped when the way every model is written changes (layout, stamp format). */
export const BUILDER_VERSION = 1;

export const DEFAULT_RECIPES: readonly ModelRecipe[] = [
  textRecipe,
  useLiteTextRecipe,
  imageRecipe,
  conseRecipe,
  audioRecipe,
  vadRecipe,
  htmlRecipe,
  useLiteHtmlRecipe,
  videoFramesRecipe,
  videoAudioRecipe,
  ocrDetectionRecipe,
  ocrRecognitionRecipe,
  imageTextRecipe,
  videoTextRecipe,
];

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** MODALFUSE_MODEL_REPOSITORY, default `<repo>/models`. */
export function defaultRepository(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.MODALFUSE_MODEL_REPOSITORY || join(repoRoot, 'models'));
}

export interface PrepareOptions {
  repository?: string;
  /** Where source files are looked for and downloaded to (default: modelPlaces()). */
  places?: ModelPlaces;
  log?: (line: string) => void;
  /** Rebuild every model even when its stamp says it is up to date. */
  force?: boolean;
  /** A mirror for missing source files (default MODALFUSE_MODELS_BASE_URL, else their canonical URLs). */
  baseUrl?: string;
  /** A progress sink per download. */
  progress?: () => ProgressSink;
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

async function build(
  recipe: ModelRecipe,
  repository: string,
  sources: ReadonlyMap<SourceFile, string>,
): Promise<ModelResult> {
  const started = performance.now();
  const paths = Object.fromEntries(recipe.sources.map((file) => [file, sources.get(file)]));
  const built = await recipe.build(paths);
  await installModel(repository, recipe.name, built, stampOf(recipe));
  return {
    name: recipe.name,
    status: 'built',
    dir: join(repository, recipe.name),
    ms: performance.now() - started,
  };
}

/** Makes sure every default model is present and current; returns what it did per model, in recipe order. */
export async function ensureDefaultRepository(options: PrepareOptions = {}): Promise<ModelResult[]> {
  const repository = resolve(options.repository ?? defaultRepository());
  const log = options.log ?? (() => undefined);
  for (const entry of await removeStale(repository)) log(`removed ${entry} left by an interrupted run`);
  const recipes = options.recipes ?? DEFAULT_RECIPES;
  const results = new Map<string, ModelResult>();
  for (const recipe of recipes) {
    const dir = join(repository, recipe.name);
    if (options.force || !(await isUpToDate(dir, stampOf(recipe)))) continue;
    results.set(recipe.name, { name: recipe.name, status: 'up to date', dir, ms: 0 });
    log(`${recipe.name}: up to date`);
  }
  const pending = recipes.filter((recipe) => !results.has(recipe.name));
  if (pending.length > 0) {
    const sources = await gatherSources([...new Set(pending.flatMap((recipe) => recipe.sources))], {
      places: options.places ?? modelPlaces(),
      baseUrl: options.baseUrl ?? (process.env.MODALFUSE_MODELS_BASE_URL || undefined),
      progress: options.progress,
      log,
    });
    for (const recipe of pending) {
      const result = await build(recipe, repository, sources);
      log(`${result.name}: built in ${(result.ms / 1000).toFixed(2)} s`);
      results.set(recipe.name, result);
    }
  }
  return recipes.flatMap((recipe) => results.get(recipe.name) ?? []);
}
