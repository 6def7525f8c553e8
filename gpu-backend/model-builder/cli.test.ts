/**
 * @module
 * `npm run models` as a user runs it (a child process, in a checkout with no `../shared` beside it): flags, a
 * download from MODALFUSE_MODELS_BASE_URL into MODALFUSE_MODELS_DIR or else the per-user cache, the per-model lines
 * and summary, and, with the mirror down, a clean error without a stack trace naming every missing file.
 */
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCheckout, type Checkout } from '../../test/support/checkout.ts';
import {
  modelsDir,
  serveMirror,
  withTempDir,
  type FileServer,
} from '../../test/support/backend/model-files.ts';

const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let checkout: Checkout;
let mirror: FileServer;

beforeAll(async () => {
  [checkout, mirror] = await Promise.all([makeCheckout(), serveMirror(modelsDir)]);
});

afterAll(async () => {
  await Promise.all([checkout?.remove(), mirror?.close()]);
});

async function models(args: string[], env: Record<string, string>): Promise<Run> {
  const cli = join(checkout.root, 'gpu-backend', 'model-builder', 'cli.ts');
  const inherited = { ...process.env };
  delete inherited.MODALFUSE_MODELS_DIR;
  try {
    const { stdout, stderr } = await promisify(execFile)(tsx, [cli, ...args], {
      env: { ...inherited, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run models', () => {
  it('prints usage for --help and refuses unknown options', async () => {
    const help = await models(['--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('MODALFUSE_MODELS_BASE_URL');
    const bad = await models(['--fast'], {});
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('unknown option --fast (known: --force, --help)');
  });

  it('downloads what it lacks into MODALFUSE_MODELS_DIR, builds, then reports up to date', async () => {
    await withTempDir(async (dir) => {
      const env = {
        MODALFUSE_MODELS_DIR: join(dir, 'sources'),
        XDG_CACHE_HOME: join(dir, 'cache'),
        MODALFUSE_MODEL_REPOSITORY: join(dir, 'repo'),
        MODALFUSE_MODELS_BASE_URL: mirror.url,
      };
      const built = await models([], env);
      expect(built.stderr).toBe('');
      expect(built.code).toBe(0);
      expect(built.stdout).toContain(
        `melspectrogram.onnx: downloading from ${mirror.url}/melspectrogram.onnx`,
      );
      expect(built.stdout).toMatch(/mobilenetv2-int8: built in \d+\.\d\d s/);
      expect(built.stdout).toContain(`14 models ready in ${join(dir, 'repo')}: 14 built, 0 up to date`);
      expect((await readdir(join(dir, 'sources'))).length).toBe(4);
      const again = await models([], env);
      expect(again.stdout).not.toContain('downloading');
      expect(again.stdout).toContain('0 built, 14 up to date');
    });
  });

  it('downloads into the per-user cache without MODALFUSE_MODELS_DIR, and finds them there', async () => {
    await withTempDir(async (dir) => {
      const env = { XDG_CACHE_HOME: join(dir, 'cache'), MODALFUSE_MODEL_REPOSITORY: join(dir, 'repo') };
      const built = await models([], { ...env, MODALFUSE_MODELS_BASE_URL: mirror.url });
      expect(built.code).toBe(0);
      expect((await readdir(join(dir, 'cache', 'modalfuse', 'models'))).length).toBe(4);
      const rebuilt = await models(['--force'], env);
      expect(rebuilt.stdout).not.toContain('downloading');
      expect(rebuilt.stdout).toContain('14 built, 0 up to date');
    });
  });
});
