/**
 * `models pull` against a local server imitating the Hub (fake-hub.ts) serving a project-built sentence-transformers
 * export: pinned commit, hashes checked and recorded, a cut download resumed with a Range request, tampered bytes
 * refused, plain-URL pulls bound to their first hashes, and the CLI end to end.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBertFolder } from '../../test/support/backend/bert-folder.ts';
import { bertShape } from '../../test/support/backend/bert-model.ts';
import { startFakeHub, type FakeHub } from '../../test/support/backend/fake-hub.ts';
import { pullModel, type PullRecord } from './pull.ts';

const REPO = 'acme/tiny-bert';
let root: string;
let origin: string;
let hub: FakeHub;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'modalfuse-pull-'));
  origin = join(root, 'origin');
  await writeBertFolder(origin, { shape: bertShape.tiny, maxTokens: 32, pooling: 'mean', normalize: true });
  hub = await startFakeHub(REPO, origin);
});

afterAll(async () => {
  await hub?.close();
  rmSync(root, { recursive: true, force: true });
});

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

function options(name: string) {
  return {
    source: REPO,
    name,
    repository: join(root, name, 'repository'),
    cacheDir: join(root, name, 'cache'),
    hubUrl: hub.url,
  };
}

describe('models pull from a Hub', () => {
  it('pins the commit, resumes a cut download with Range, verifies and records sha256, installs', async () => {
    hub.cutOnce('onnx/model.onnx');
    await expect(pullModel(options('first'))).rejects.toThrow();
    const { dir, record } = await pullModel(options('first'));
    expect(record.revision).toBe(hub.sha);
    const downloads = hub.requests.filter((request) => request.path.includes('/resolve/'));
    expect(downloads.every((request) => request.path.includes(`/resolve/${hub.sha}/`))).toBe(true);
    const resumed = downloads.filter((request) => request.path.endsWith('onnx/model.onnx'));
    expect(resumed.map((request) => request.range)).toEqual([
      undefined,
      expect.stringMatching(/^bytes=[1-9]\d*-$/),
    ]);
    expect(Object.keys(record.files).sort()).toEqual([
      '1_Pooling/config.json',
      'config.json',
      'modules.json',
      'onnx/model.onnx',
      'sentence_bert_config.json',
      'tokenizer.json',
      'tokenizer_config.json',
    ]);
    for (const [path, file] of Object.entries(record.files))
      expect(file.sha256).toBe(sha256(join(origin, path)));
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as {
      parameters: Record<string, { string_value: string }>;
    };
    expect(config.parameters.tokenizer?.string_value).toBe('tokenizer.json');
    expect(existsSync(join(dir, '1', 'model.onnx')) && existsSync(join(dir, 'tokenizer.json'))).toBe(true);
    expect((JSON.parse(readFileSync(join(dir, 'pull.json'), 'utf8')) as PullRecord).revision).toBe(hub.sha);
  });

  it('refuses bytes that do not match the Hub listing, naming the file', async () => {
    hub.tamper('tokenizer.json', new TextEncoder().encode('{"model": {}}'));
    try {
      await expect(pullModel(options('tampered'))).rejects.toThrow(
        /tokenizer.json: size \d+ ≠ \d+, git blob sha1/,
      );
    } finally {
      hub.tamper('tokenizer.json', readFileSync(join(origin, 'tokenizer.json')));
    }
  });

  it('names what a repository lacks', async () => {
    const partial = join(root, 'partial');
    cpSync(origin, partial, { recursive: true });
    rmSync(join(partial, 'tokenizer.json'));
    rmSync(join(partial, 'onnx'), { recursive: true });
    const other = await startFakeHub('acme/partial', partial);
    try {
      await expect(
        pullModel({ ...options('partial'), source: 'acme/partial', hubUrl: other.url }),
      ).rejects.toThrow(/acme\/partial@[0-9a-f]{40} has no onnx\/model.onnx or model.onnx, tokenizer.json/);
    } finally {
      await other.close();
    }
  });
});

describe('models pull from a URL', () => {
  it('records the first hashes and refuses different bytes later', async () => {
    const base = `${hub.url}/${REPO}/resolve/${hub.sha}`;
    const spec = { ...options('url'), source: base };
    const { record } = await pullModel(spec);
    expect(record.files['onnx/model.onnx']?.sha256).toBe(sha256(join(origin, 'onnx/model.onnx')));
    const cached = join(spec.cacheDir, createHash('sha256').update(base).digest('hex').slice(0, 16), 'url');
    rmSync(join(cached, 'config.json'));
    const changed = JSON.parse(readFileSync(join(origin, 'config.json'), 'utf8')) as Record<string, unknown>;
    hub.tamper('config.json', new TextEncoder().encode(JSON.stringify({ ...changed, hidden_size: 65 })));
    try {
      await expect(pullModel(spec)).rejects.toThrow(/config.json: .*sha256/);
    } finally {
      hub.tamper('config.json', readFileSync(join(origin, 'config.json')));
    }
  });
});

describe('npm run models -- pull', () => {
  it('installs from MODALFUSE_HUB_URL and prints where', async () => {
    const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
    const cli = fileURLToPath(new URL('../model-builder/cli.ts', import.meta.url));
    const env = {
      ...process.env,
      MODALFUSE_HUB_URL: hub.url,
      MODALFUSE_MODELS_DIR: join(root, 'cli', 'sources'),
      MODALFUSE_MODEL_REPOSITORY: join(root, 'cli', 'repository'),
    };
    const { stdout } = await promisify(execFile)(tsx, [cli, 'pull', REPO, '--revision', 'main'], { env });
    expect(stdout).toContain(`${REPO}@${hub.sha}: 7 files`);
    expect(stdout).toMatch(/tiny-bert: installed in .*repository\/tiny-bert/);
  });
});
