/**
 * `npm run build:backend`: the bundle runs under plain `node` (no tsx), loads the adapters' backend faces from the
 * build by name, serves an infer, and needs only the packages a production install (`npm ci --omit=dev`) brings.
 */
import { builtinModules } from 'node:module';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBackend } from './lib/build-backend.ts';
import { repoRoot, startBackend, type BackendProcess } from './lib/backend-process.ts';
import { call, calcConfig, calcModel, writeModel } from '../test/support/backend/server.ts';

// Two folders below the repository root, as dist/backend is: the build finds package.json and models/ there.
const outdir = join(repoRoot, 'dist', `backend-test-${process.pid}`);
const png = readFileSync(join(repoRoot, 'adapters/image/fixtures/red-64x48.png'));
let metafile: Metafile;
let backend: BackendProcess;
let root: string;

beforeAll(async () => {
  metafile = await buildBackend(outdir);
  root = mkdtempSync(join(tmpdir(), 'modalfuse-built-'));
  for (const model of ['text-hash-256', 'mobilenetv2-int8'])
    cpSync(join(repoRoot, 'models', model), join(root, model), { recursive: true });
  const raw = [{ name: 'raw', data_type: 'TYPE_STRING', dims: [1] }];
  const noAdapter = {
    ...calcConfig,
    name: 'no-adapter',
    input: raw,
    parameters: { adapter: { string_value: 'nope' } },
  };
  writeModel(root, 'no-adapter', noAdapter, calcModel());
  backend = await startBackend({
    builtMain: join(outdir, 'main.js'),
    env: { MODALFUSE_MODEL_REPOSITORY: root, MODALFUSE_EXECUTION_PROVIDER: 'cpu' },
  });
}, 180_000);

afterAll(async () => {
  await backend?.stop();
  rmSync(outdir, { recursive: true, force: true });
  if (root) rmSync(root, { recursive: true, force: true });
});

const bytesInput = (data: string[], base64 = false) => ({
  inputs: [
    {
      name: 'raw',
      datatype: 'BYTES',
      shape: [data.length],
      data,
      ...(base64 ? { parameters: { content_type: 'base64' } } : {}),
    },
  ],
});

/** The npm packages the bundle imports (node: built-ins aside), by package name. */
function externalPackages(meta: Metafile): Set<string> {
  const builtins = new Set(builtinModules);
  const names = new Set<string>();
  for (const output of Object.values(meta.outputs))
    for (const { path, external } of output.imports) {
      if (!external || path.startsWith('node:') || builtins.has(path)) continue;
      const parts = path.split('/');
      names.add(path.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? path));
    }
  return names;
}

describe('the built backend', () => {
  it('is one entry per part and no TypeScript', () => {
    const outputs = Object.keys(metafile.outputs).map((file) => file.slice(file.indexOf('backend-test-')));
    const entries = outputs.filter((file) =>
      /\/(main|session-worker|adapters\/[\w-]+\/preprocess)\.js$/.test(file),
    );
    expect(entries.map((file) => file.replace(/^[^/]+\//, '')).sort()).toEqual([
      'adapters/audio/preprocess.js',
      'adapters/html/preprocess.js',
      'adapters/image-text/preprocess.js',
      'adapters/image/preprocess.js',
      'adapters/text/preprocess.js',
      'adapters/video/preprocess.js',
      'main.js',
      'session-worker.js',
    ]);
    expect(outputs.filter((file) => file.endsWith('.ts'))).toEqual([]);
  });

  it('imports only production dependencies (what npm ci --omit=dev installs), never tsx', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const packages = [...externalPackages(metafile)];
    expect(packages).toContain('onnxruntime-node');
    expect(packages).not.toContain('tsx');
    expect(packages.filter((name) => !(name in pkg.dependencies))).toEqual([]);
  });

  it('runs under plain node and serves a text infer through the text adapter', async () => {
    expect(backend.child.spawnargs).toEqual([process.execPath, join(outdir, 'main.js')]);
    const reply = await call(
      backend.url,
      'POST',
      '/v2/models/text-hash-256/infer',
      bytesInput(['hello world']),
    );
    expect(reply.status).toBe(200);
    const output = (reply.body as { outputs: { name: string; shape: number[]; data: number[] }[] })
      .outputs[0];
    expect(output?.shape).toEqual([1, 256]);
    expect(output?.data.some((value) => value !== 0)).toBe(true);
  });

  it('serves an image infer through the image adapter (sharp)', async () => {
    const body = bytesInput([png.toString('base64')], true);
    const reply = await call(backend.url, 'POST', '/v2/models/mobilenetv2-int8/infer', body);
    expect(reply.status).toBe(200);
  });

  it('refuses bad input with a 400, and names the built adapters for a model whose adapter is missing', async () => {
    const bad = await call(
      backend.url,
      'POST',
      '/v2/models/mobilenetv2-int8/infer',
      bytesInput(['not an image']),
    );
    expect(bad.status).toBe(400);
    const index = await call(backend.url, 'POST', '/v2/repository/index');
    expect(index.body).toContainEqual({
      name: 'no-adapter',
      version: '1',
      state: 'UNAVAILABLE',
      reason:
        'adapter "nope" has no preprocess.js (adapters with one: audio, html, image, image-text, text, video)',
    });
  });
});
