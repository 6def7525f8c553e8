/**
 * @module
 * Writing a model folder so that readers never see half a model: everything goes into a hidden temporary folder
 * beside it, the stamp last, and the folder is swapped in by rename. The stamp (source hashes and builder
 * versions) tells later runs the folder is up to date. Hidden `.tmp-*`/`.old-*` folders of dead runs are removed.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ModelConfig } from './config.ts';

/** The files of one model folder: `1/model.onnx`, its config and any extra files beside the config. */
export interface BuiltModel {
  onnx: Uint8Array;
  config: ModelConfig;
  /** Extra files by path relative to the model folder (e.g. `labels.json`, `warmup/sr`). */
  files?: Record<string, Uint8Array>;
}

export const STAMP_FILE = '.modalfuse-build.json';
const MODEL_FILE = join('1', 'model.onnx');

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** True when the folder holds a complete model built with exactly this stamp. */
export async function isUpToDate(dir: string, stamp: string): Promise<boolean> {
  const written = await readFile(join(dir, STAMP_FILE), 'utf8').catch(() => undefined);
  return (
    written === stamp && (await exists(join(dir, 'config.json'))) && (await exists(join(dir, MODEL_FILE)))
  );
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

async function writeFolder(dir: string, built: BuiltModel, stamp: string): Promise<void> {
  await mkdir(join(dir, '1'), { recursive: true });
  await writeFile(join(dir, MODEL_FILE), built.onnx);
  await writeFile(join(dir, 'config.json'), `${JSON.stringify(built.config, null, 2)}\n`);
  for (const [name, bytes] of Object.entries(built.files ?? {})) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), bytes);
  }
  await writeFile(join(dir, STAMP_FILE), stamp);
}

/** Writes `<repository>/<name>` atomically (replacing an older folder) and returns its path. */
export async function installModel(
  repository: string,
  name: string,
  built: BuiltModel,
  stamp: string,
): Promise<string> {
  const unique = `${name}-${process.pid}-${randomBytes(4).toString('hex')}`;
  const temp = join(repository, `.tmp-${unique}`);
  const old = join(repository, `.old-${unique}`);
  const target = join(repository, name);
  try {
    await writeFolder(temp, built, stamp);
    await rename(target, old).catch((error: unknown) => {
      if (errorCode(error) !== 'ENOENT') throw error;
    });
    await rename(temp, target).catch(async (error: unknown) => {
      // Another run installed the same model between our two renames: theirs stands, ours is dropped.
      if (errorCode(error) === 'ENOTEMPTY' || errorCode(error) === 'EEXIST') return;
      await rename(old, target).catch(() => undefined);
      throw error;
    });
    return target;
  } finally {
    await rm(temp, { recursive: true, force: true });
    await rm(old, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}

/** Removes the temporary folders left by interrupted runs (their process is gone). */
export async function removeStale(repository: string): Promise<string[]> {
  const entries = await readdir(repository).catch(() => [] as string[]);
  const stale = entries.filter((entry) => {
    const match = /^\.(?:tmp|old)-.+-(\d+)-[0-9a-f]{8}$/.exec(entry);
    return match?.[1] !== undefined && Number(match[1]) !== process.pid && !isAlive(Number(match[1]));
  });
  await Promise.all(stale.map((entry) => rm(join(repository, entry), { recursive: true, force: true })));
  return stale;
}
