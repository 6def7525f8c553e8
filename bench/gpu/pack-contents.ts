/**
 * @module
 * What the GPU pack holds, laid out in a staging folder as the pack's root: the backend bundled with every npm
 * package but the native ones (`dist/backend/`, with the check's own entries), the Node binary that runs it
 * (`bin/node`), the native packages with only their linux-x64 files (`node_modules/`), a model subset with the
 * models it names (`models/`), `package.json` (the backend reads its version) and `run.sh`. The layout is the
 * repository's, so `gpu-backend/runtime/layout.ts` finds the adapters, the session worker and `models/` unchanged.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { buildBackend } from '../../scripts/lib/build-backend.ts';
import { repoRoot } from '../../scripts/lib/backend-process.ts';

/** Packages loaded from `node_modules/` at run time (native code, or loaded by a native one), with what they need. */
export const RUNTIME_PACKAGES = [
  'onnxruntime-node',
  'onnxruntime-common',
  'sharp',
  '@img/sharp-linux-x64',
  '@img/sharp-libvips-linux-x64',
  '@img/colour',
  'detect-libc',
  'semver',
] as const;

/** The packages bundled into JS must not include these; onnxruntime-common comes in through onnxruntime-node. */
const EXTERNAL = ['onnxruntime-node', 'sharp'];

/**
 * The default model subset, 58.1 MiB packed with xz: an image model (int8), a speech model (and the VAD it names)
 * and OCR's detector (fp32 convolutions) beside Node (25.9 MiB) and onnxruntime (12.0 MiB). USE-lite and the
 * hashed-text models are 28–33 MB of float weights each, which xz barely shrinks (25.8 and 30.8 MB): any one of
 * them would break the 60 MiB budget.
 */
export const DEFAULT_MODELS = ['mobilenetv2-int8', 'speech-embedding', 'ocr-det'] as const;

/** Files a package does not need at run time: docs, types, sources, install scripts, other platforms' binaries. */
function wanted(name: string, path: string): boolean {
  if (/\.(md|map|d\.ts|d\.cts|d\.mts)$/i.test(path)) return false;
  const top = path.split('/')[0] ?? '';
  if (['src', 'script', 'install', 'docs', 'test'].includes(top)) return false;
  if (name === 'onnxruntime-node' && path.startsWith('bin/')) {
    return (
      path === 'bin' || 'bin/napi-v6/linux/x64'.startsWith(path) || path.startsWith('bin/napi-v6/linux/x64/')
    );
  }
  return true;
}

function copyPackage(name: string, stage: string): void {
  const from = join(repoRoot, 'node_modules', name);
  if (!existsSync(join(from, 'package.json'))) throw new Error(`${name} is not installed (npm ci)`);
  cpSync(from, join(stage, 'node_modules', name), {
    recursive: true,
    dereference: true,
    filter: (source) => source === from || wanted(name, relative(from, source)),
  });
}

/** `names` and every model their configs name in a `*_model` parameter (a speech model's VAD, OCR's two models). */
export function modelClosure(repository: string, names: readonly string[]): string[] {
  const all = new Set<string>();
  const visit = (name: string) => {
    if (all.has(name)) return;
    const file = join(repository, name, 'config.json');
    if (!existsSync(file)) throw new Error(`no model "${name}" in ${repository}`);
    all.add(name);
    const config = JSON.parse(readFileSync(file, 'utf8')) as {
      parameters?: Record<string, { string_value?: string }>;
    };
    for (const [key, value] of Object.entries(config.parameters ?? {}))
      if (key.endsWith('_model') && value.string_value) visit(value.string_value);
  };
  names.forEach(visit);
  return [...all].sort();
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Copies the models; a file equal to one already copied becomes a hard link to it, which tar stores once. */
function copyModels(repository: string, names: readonly string[], stage: string): void {
  const seen = new Map<string, string>();
  for (const name of names) {
    for (const file of filesUnder(join(repository, name))) {
      const target = join(stage, 'models', relative(repository, file));
      mkdirSync(dirname(target), { recursive: true });
      const digest = createHash('sha256').update(readFileSync(file)).digest('hex');
      const first = seen.get(digest);
      if (first) linkSync(first, target);
      else {
        copyFileSync(file, target);
        seen.set(digest, target);
      }
    }
  }
}

/** The Node binary, without its symbol tables when `strip` is there (126 → 108 MB; Node 24 ships them). */
function copyNode(stage: string): { stripped: boolean } {
  const target = join(stage, 'bin', 'node');
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(process.execPath, target);
  chmodSync(target, 0o755);
  const strip = spawnSync('strip', [target]);
  return { stripped: strip.status === 0 };
}

export interface StageOptions {
  readonly repository: string;
  readonly models: readonly string[];
}

/** Lays the pack out in `stage` (an empty folder); returns the models it holds and whether Node was stripped. */
export async function stagePack(stage: string, options: StageOptions) {
  await buildBackend(join(stage, 'dist', 'backend'), {
    entries: {
      'gpu-check': join(repoRoot, 'bench/gpu/check.ts'),
      parity: join(repoRoot, 'bench/gpu/parity.ts'),
    },
    external: EXTERNAL,
    sourcemap: false,
  });
  RUNTIME_PACKAGES.forEach((name) => copyPackage(name, stage));
  const models = modelClosure(options.repository, options.models);
  copyModels(options.repository, models, stage);
  const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
  writeFileSync(
    join(stage, 'package.json'),
    `${JSON.stringify({ name: 'modalfuse-gpu-pack', version, type: 'module' })}\n`,
  );
  copyFileSync(join(repoRoot, 'bench/gpu/run.sh'), join(stage, 'run.sh'));
  chmodSync(join(stage, 'run.sh'), 0o755);
  return { models, ...copyNode(stage) };
}
