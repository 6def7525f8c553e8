/**
 * @module
 * `npm run models` as a user runs it (a child process): flags, the per-model lines and summary, a clean error
 * without a stack trace when sources are missing, and `--download` through MODALFUSE_MODELS_BASE_URL from a
 * local server.
 */
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { modelsDir, serveDirectory, withTempDir } from '../../test/support/backend/model-files.ts';

const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function models(args: string[], env: Record<string, string>): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(tsx, [cli, ...args], {
      env: { ...process.env, ...env },
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
    expect(help.stdout).toContain('--download');
    const bad = await models(['--fast'], {});
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('unknown option --fast (known: --force, --download, --help)');
  });

  it('explains a missing source without a stack trace', async () => {
    await withTempDir(async (dir) => {
      const run = await models([], {
        MODALFUSE_MODELS_DIR: dir,
        MODALFUSE_MODEL_REPOSITORY: join(dir, 'repo'),
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        /mobilenetv2-12-int8\.onnx: not found in .*MODALFUSE_MODELS_DIR.*--download/,
      );
      expect(run.stderr).not.toMatch(/\n\s+at /);
    });
  });

  it('downloads from MODALFUSE_MODELS_BASE_URL, builds, then reports up to date', async () => {
    const mirror = await serveDirectory(modelsDir);
    try {
      await withTempDir(async (dir) => {
        const env = {
          MODALFUSE_MODELS_DIR: join(dir, 'sources'),
          MODALFUSE_MODEL_REPOSITORY: join(dir, 'repo'),
          MODALFUSE_MODELS_BASE_URL: mirror.url,
        };
        const built = await models(['--download'], env);
        expect(built.stderr).toBe('');
        expect(built.code).toBe(0);
        expect(built.stdout).toMatch(/mobilenetv2-int8: built in \d+\.\d\d s/);
        expect(built.stdout).toContain(`5 models ready in ${join(dir, 'repo')}: 5 built, 0 up to date`);
        expect((await readdir(join(dir, 'sources'))).length).toBe(4);
        const again = await models([], env);
        expect(again.stdout).toContain('speech-embedding: up to date');
        expect(again.stdout).toContain('0 built, 5 up to date');
      });
    } finally {
      await mirror.close();
    }
  });
});
