/**
 * @module
 * Reading a Triton-style model repository: `<root>/<name>/config.json` (or `config.pbtxt`) and `<root>/<name>/<version>/model.onnx`,
 * the highest numeric version winning. Each folder yields either a usable source or the reason it is not, so one
 * broken model never hides the others.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { modelConfigSchema, type ModelConfig } from './config.ts';
import { parsePbtxt } from './pbtxt.ts';

export interface ModelSource {
  readonly name: string;
  /** The model's folder (config.json, version folders, warmup/). */
  readonly dir: string;
  readonly config: ModelConfig;
  readonly version: string;
  readonly modelPath: string;
}

export type ScanResult =
  | { readonly ok: true; readonly source: ModelSource }
  | { readonly ok: false; readonly name: string; readonly reason: string };

export class RepositoryMissingError extends Error {
  constructor(readonly root: string) {
    super(
      `model repository ${root} does not exist: run \`npm run models\` first (or set MODALFUSE_MODEL_REPOSITORY)`,
    );
    this.name = 'RepositoryMissingError';
  }
}

/** `config.json`, else Triton's `config.pbtxt` (the subset {@link parsePbtxt} reads), as JSON. */
async function readConfigFile(dir: string): Promise<{ file: string; json: unknown }> {
  const jsonFile = join(dir, 'config.json');
  const pbtxtFile = join(dir, 'config.pbtxt');
  const file = existsSync(jsonFile) ? 'config.json' : existsSync(pbtxtFile) ? 'config.pbtxt' : undefined;
  if (file === undefined) throw new Error('no config.json or config.pbtxt');
  const text = await readFile(join(dir, file), 'utf8');
  try {
    return { file, json: file === 'config.json' ? JSON.parse(text) : parsePbtxt(text) };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(`${file} cannot be read: ${why}`, { cause: error });
  }
}

async function readConfig(dir: string, name: string): Promise<ModelConfig> {
  const { file, json } = await readConfigFile(dir);
  const parsed = modelConfigSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new Error(`${file} is invalid: ${issues.join('; ')}`);
  }
  if (parsed.data.name !== name) {
    throw new Error(`${file} names the model "${parsed.data.name}" but its folder is "${name}"`);
  }
  return parsed.data;
}

async function latestVersion(dir: string): Promise<string> {
  const entries = await readdir(dir, { withFileTypes: true });
  const versions = entries
    .filter((entry) => entry.isDirectory() && /^\d+$/.test(entry.name))
    .map((entry) => entry.name)
    .sort((a, b) => Number(b) - Number(a));
  const usable = versions.find((version) => existsSync(join(dir, version, 'model.onnx')));
  if (usable === undefined) {
    const found = versions.length > 0 ? versions.join(', ') : 'none';
    throw new Error(`no version folder holds model.onnx (numeric version folders: ${found})`);
  }
  return usable;
}

async function scanModel(root: string, name: string): Promise<ScanResult> {
  const dir = join(root, name);
  try {
    const config = await readConfig(dir, name);
    const version = await latestVersion(dir);
    return { ok: true, source: { name, dir, config, version, modelPath: join(dir, version, 'model.onnx') } };
  } catch (error) {
    return { ok: false, name, reason: error instanceof Error ? error.message : String(error) };
  }
}

/** Every model folder of the repository, sorted by name; hidden folders are skipped. */
export async function scanRepository(root: string): Promise<ScanResult[]> {
  if (!existsSync(root)) throw new RepositoryMissingError(root);
  const entries = await readdir(root, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort();
  return Promise.all(names.map((name) => scanModel(root, name)));
}
