/**
 * @module
 * Where the pretrained source files are looked for, in order: `MODALFUSE_MODELS_DIR` (when set), `../shared/models`
 * beside the repository (our development and CI machines), then the per-user cache
 * (`$XDG_CACHE_HOME/modalfuse/models`, else `~/.cache/modalfuse/models`). A file counts as found only where its
 * sha256 is the expected one; a different file is reported and passed over. Missing files are downloaded into
 * `MODALFUSE_MODELS_DIR` when it is set and writable, else into the cache.
 */
import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256File, type Source } from './sources.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface Place {
  /** How the place is named in messages: the variable or the convention it comes from. */
  readonly name: string;
  readonly dir: string;
}

export interface ModelPlaces {
  /** Looked through in this order. */
  readonly search: readonly Place[];
  /** MODALFUSE_MODELS_DIR, when set: preferred for downloads. */
  readonly configured?: string | undefined;
  readonly cache: string;
}

/** The per-user cache: `$XDG_CACHE_HOME/modalfuse/models` (an absolute XDG_CACHE_HOME only, as the spec says). */
function cacheDir(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(env.HOME || homedir(), '.cache');
  return join(base, 'modalfuse', 'models');
}

export function modelPlaces(env: NodeJS.ProcessEnv = process.env): ModelPlaces {
  const configured = env.MODALFUSE_MODELS_DIR ? resolve(env.MODALFUSE_MODELS_DIR) : undefined;
  const cache = cacheDir(env);
  const search: Place[] = [
    ...(configured ? [{ name: 'MODALFUSE_MODELS_DIR', dir: configured }] : []),
    { name: '../shared/models', dir: resolve(repoRoot, '..', 'shared', 'models') },
    { name: 'the per-user cache', dir: cache },
  ];
  return { search, configured, cache };
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

/** The first place holding the expected file; a file with another hash is reported through `note` and skipped. */
export async function findSource(
  source: Source,
  places: ModelPlaces,
  note: (line: string) => void,
): Promise<string | undefined> {
  for (const place of places.search) {
    const path = join(place.dir, source.file);
    if (!(await isFile(path))) continue;
    const found = await sha256File(path);
    if (found === source.sha256) return path;
    note(
      `${source.file}: ${path} is not the expected file (sha256 ${found}, expected ${source.sha256}); ignored`,
    );
  }
  return undefined;
}

async function writable(dir: string): Promise<boolean> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** MODALFUSE_MODELS_DIR when it is set and writable (created if need be), else the per-user cache. */
export async function downloadDir(places: ModelPlaces): Promise<string> {
  if (places.configured && (await writable(places.configured))) return places.configured;
  await mkdir(places.cache, { recursive: true });
  return places.cache;
}
