/**
 * @module
 * `npm run bench:gpu:pack [-- --out FILE] [--models a,b] [--repository DIR] [--compress xz|gzip|none]`: one
 * archive holding everything the GPU check needs on an x86-64 Linux machine with no network and no npm (see
 * `pack-contents.ts`): `tar -xJf modalfuse-gpu-pack.tar.xz && modalfuse-gpu-pack/run.sh`. The tar is written by
 * the `tar` package; xz (the default, the system's `xz`: the smallest, and GNU tar unpacks it everywhere) or gzip
 * (node:zlib, for a machine without xz; 79.3 MiB with the default models, over budget) compresses it. Prints the
 * archive's size and fails when it is over {@link MAX_MIB} MiB.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { create } from 'tar';
import { repoRoot } from '../../scripts/lib/backend-process.ts';
import { DEFAULT_MODELS, stagePack } from './pack-contents.ts';

export const MAX_MIB = 60;
export const PACK_NAME = 'modalfuse-gpu-pack';
export const COMPRESSIONS = ['xz', 'gzip', 'none'] as const;
export type Compression = (typeof COMPRESSIONS)[number];

const EXTENSION: Record<Compression, string> = { xz: '.tar.xz', gzip: '.tar.gz', none: '.tar' };
const MIB = 1024 * 1024;

/** The staged folder as one tar stream; hard links (equal model files) are stored once. */
function tarOf(parent: string, compression: Compression) {
  return create({ cwd: parent, portable: true, gzip: compression === 'gzip' ? { level: 9 } : undefined }, [
    PACK_NAME,
  ]);
}

async function writeArchive(parent: string, out: string, compression: Compression): Promise<void> {
  mkdirSync(dirname(out), { recursive: true });
  const file = createWriteStream(out);
  if (compression !== 'xz') return pipeline(tarOf(parent, compression), file);
  const xz = spawn('xz', ['-6', '-T0', '-c'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((done, fail) => {
    xz.once('error', () => fail(new Error('no xz on this machine: use --compress gzip')));
    xz.once('exit', done);
  });
  await Promise.all([pipeline(tarOf(parent, compression), xz.stdin), pipeline(xz.stdout, file)]);
  if ((await exited) !== 0) throw new Error('xz failed');
}

export interface PackOptions {
  readonly out: string;
  readonly repository: string;
  readonly models: readonly string[];
  readonly compression: Compression;
}

/** Builds the archive at `options.out`; returns its size in bytes and what went in. */
export async function buildPack(options: PackOptions) {
  const parent = mkdtempSync(join(tmpdir(), 'modalfuse-gpu-pack-'));
  try {
    const stage = join(parent, PACK_NAME);
    mkdirSync(stage);
    const staged = await stagePack(stage, options);
    await writeArchive(parent, options.out, options.compression);
    return { bytes: statSync(options.out).size, ...staged };
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      models: { type: 'string', default: DEFAULT_MODELS.join(',') },
      repository: { type: 'string', default: join(repoRoot, 'models') },
      compress: { type: 'string', default: 'xz' },
    },
  });
  const compression = values.compress as Compression;
  if (!COMPRESSIONS.includes(compression)) throw new Error(`--compress takes ${COMPRESSIONS.join(', ')}`);
  const out = resolve(values.out ?? join(repoRoot, 'dist', `${PACK_NAME}${EXTENSION[compression]}`));
  const models = values.models.split(',').map((name) => name.trim());
  const started = performance.now();
  const pack = await buildPack({ out, repository: resolve(values.repository), models, compression });
  const mib = pack.bytes / MIB;
  console.log(`models: ${pack.models.join(', ')}`);
  console.log(`node: ${pack.stripped ? 'stripped' : 'not stripped (no strip on this machine)'}`);
  console.log(
    `${out}: ${mib.toFixed(1)} MiB (${compression}), ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  console.log(`on the GPU machine: tar -xf ${basename(out)} && ./${PACK_NAME}/run.sh`);
  if (compression !== 'none' && mib > MAX_MIB) {
    console.error(
      `over the ${MAX_MIB} MiB budget: pack fewer models (--models)${compression === 'xz' ? '' : ', or use xz'}`,
    );
    process.exitCode = 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
