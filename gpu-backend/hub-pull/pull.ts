/**
 * @module
 * `npm run models -- pull <owner/name | https://…/folder>`: fetches a sentence-transformers style export into the
 * source cache and installs it as a repository model (see sentence-transformer.ts). From the Hugging Face Hub (or
 * `MODALFUSE_HUB_URL`), through `@huggingface/hub`: the revision is pinned to the commit the branch or tag points at,
 * every file is checked against the Hub's own hash (sha256 of LFS files, git blob sha1 of the others), and the
 * sha256 of every file is recorded in `pull.json`; a later pull of the same commit verifies the cached files against
 * it. Downloads resume from a `.part` file with an HTTP Range request. From a plain URL there is nothing to check
 * against, so the first download's sha256 is recorded and later pulls must match it.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { listFiles, modelInfo } from '@huggingface/hub';
import { DownloadError, downloadToPart, type ProgressSink } from './resumable.ts';
import { installModel } from '../model-repository/install.ts';
import { buildSentenceTransformer } from './sentence-transformer.ts';

/** The files of an export the text adapter needs; the model file is one of two paths. */
const MODEL_FILES = ['onnx/model.onnx', 'model.onnx'];
const REQUIRED = ['config.json', 'tokenizer.json'];
const OPTIONAL = [
  'tokenizer_config.json',
  'sentence_bert_config.json',
  'modules.json',
  '1_Pooling/config.json',
];

export interface PullOptions {
  readonly source: string;
  readonly revision?: string | undefined;
  /** Repository model name; default: the source's last path segment, lower-cased. */
  readonly name?: string | undefined;
  readonly repository: string;
  /** Where downloads are cached (`<cache>/<source>/<commit>/`). */
  readonly cacheDir: string;
  readonly hubUrl?: string | undefined;
  readonly progress?: ProgressSink | undefined;
  readonly log?: (line: string) => void;
}

/** What the Hub (or a first download) says a file must be. */
interface Expected {
  readonly path: string;
  readonly size?: number | undefined;
  readonly sha256?: string | undefined;
  /** Git blob sha1 of a non-LFS file. */
  readonly gitSha1?: string | undefined;
}

export interface PullRecord {
  readonly source: string;
  readonly revision: string;
  readonly files: Record<string, { size: number; sha256: string }>;
}

function isUrl(source: string): boolean {
  return /^https?:\/\//.test(source);
}

export function defaultName(source: string): string {
  const last = source.replace(/\/+$/, '').split('/').at(-1) ?? '';
  const name = last.toLowerCase().replace(/[^a-z0-9._-]+/g, '-');
  if (!name) throw new Error(`cannot name a model after "${source}"; pass --name`);
  return name;
}

async function hubPlan(options: PullOptions): Promise<{ revision: string; files: Expected[]; base: string }> {
  const hubUrl = options.hubUrl ?? 'https://huggingface.co';
  const info = await modelInfo({
    name: options.source,
    revision: options.revision,
    hubUrl,
    additionalFields: ['sha'],
  });
  const revision = String((info as { sha?: unknown }).sha ?? '');
  if (!/^[0-9a-f]{40}$/.test(revision)) throw new Error(`the Hub gave no commit for ${options.source}`);
  const listed = new Map<string, Expected>();
  for await (const entry of listFiles({ repo: options.source, revision, hubUrl, recursive: true })) {
    if (entry.type !== 'file') continue;
    listed.set(entry.path, {
      path: entry.path,
      size: entry.lfs?.size ?? entry.size,
      sha256: entry.lfs?.oid,
      gitSha1: entry.lfs ? undefined : entry.oid,
    });
  }
  const model = MODEL_FILES.find((path) => listed.has(path));
  const missing = [...REQUIRED].filter((path) => !listed.has(path));
  if (!model || missing.length > 0) {
    const lacking = [...(model ? [] : ['onnx/model.onnx or model.onnx']), ...missing].join(', ');
    throw new Error(`${options.source}@${revision} has no ${lacking}`);
  }
  const wanted = [model, ...REQUIRED, ...OPTIONAL.filter((path) => listed.has(path))];
  return {
    revision,
    files: wanted.map((path) => listed.get(path) as Expected),
    base: `${hubUrl}/${options.source}/resolve/${revision}`,
  };
}

async function verify(file: string, expected: Expected): Promise<string> {
  const bytes = await readFile(file);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const problems = [
    expected.size !== undefined && bytes.length !== expected.size
      ? `size ${bytes.length} ≠ ${expected.size}`
      : '',
    expected.sha256 !== undefined && sha256 !== expected.sha256
      ? `sha256 ${sha256} ≠ ${expected.sha256}`
      : '',
    expected.gitSha1 !== undefined &&
    createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex') !== expected.gitSha1
      ? `git blob sha1 ≠ ${expected.gitSha1}`
      : '',
  ].filter(Boolean);
  if (problems.length > 0) throw new Error(`${expected.path}: ${problems.join(', ')}`);
  return sha256;
}

async function readRecord(folder: string): Promise<PullRecord | undefined> {
  const path = join(folder, 'pull.json');
  return existsSync(path) ? (JSON.parse(await readFile(path, 'utf8')) as PullRecord) : undefined;
}

/** A plain URL has no listing: the usual files are tried, optional ones may be missing; earlier hashes bind. */
async function urlPlan(
  options: PullOptions,
  folder: string,
): Promise<{ revision: string; files: Expected[]; base: string }> {
  const recorded = (await readRecord(folder))?.files ?? {};
  const paths = [MODEL_FILES[0] ?? '', ...REQUIRED, ...OPTIONAL];
  return {
    revision: 'url',
    files: paths.map((path) => ({ path, size: recorded[path]?.size, sha256: recorded[path]?.sha256 })),
    base: options.source.replace(/\/+$/, ''),
  };
}

async function fetchAll(
  plan: { files: Expected[]; base: string },
  folder: string,
  options: PullOptions,
  required: Set<string>,
) {
  const record: PullRecord['files'] = {};
  for (const expected of plan.files) {
    const target = join(folder, expected.path);
    await mkdir(dirname(target), { recursive: true });
    if (!existsSync(target)) {
      const url = `${plan.base}/${expected.path}`;
      const fetched = await downloadToPart(url, `${target}.part`, {
        progress: options.progress,
        label: expected.path,
        optional: !required.has(expected.path),
        resume: true,
      }).catch((error: unknown) => {
        throw error instanceof DownloadError
          ? new Error(`GET ${url}: ${error.message}`, { cause: error })
          : error;
      });
      if (!fetched) continue;
      await verify(`${target}.part`, expected);
      await rename(`${target}.part`, target);
    }
    record[expected.path] = { size: (await stat(target)).size, sha256: await verify(target, expected) };
  }
  return record;
}

/** Pulls and installs; returns the installed folder and the record written beside the downloads. */
export async function pullModel(options: PullOptions): Promise<{ dir: string; record: PullRecord }> {
  const log = options.log ?? (() => undefined);
  const name = options.name ?? defaultName(options.source);
  const sourceKey = isUrl(options.source)
    ? createHash('sha256').update(options.source).digest('hex').slice(0, 16)
    : options.source.replace('/', '--');
  const plan = isUrl(options.source)
    ? await urlPlan(options, join(options.cacheDir, sourceKey, 'url'))
    : await hubPlan(options);
  const folder = join(options.cacheDir, sourceKey, plan.revision);
  log(`${options.source}@${plan.revision}: ${plan.files.length} files into ${folder}`);
  const required = new Set([...REQUIRED, plan.files[0]?.path ?? '']);
  const files = await fetchAll(plan, folder, options, required);
  const record: PullRecord = { source: options.source, revision: plan.revision, files };
  await writeFile(join(folder, 'pull.json'), `${JSON.stringify(record, null, 2)}\n`);
  const built = await buildSentenceTransformer(folder, { name });
  built.files = { ...built.files, 'pull.json': new TextEncoder().encode(JSON.stringify(record, null, 2)) };
  const dir = await installModel(options.repository, name, built, JSON.stringify(record));
  log(`${name}: installed in ${dir}`);
  return { dir, record };
}
