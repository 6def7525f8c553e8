/**
 * @module
 * The toolchain the project pins: npm scripts (and so these tests) run on the Node from the `node` devDependency, and
 * an install with an npm too old to honour `allowScripts` stops (scripts/require-npm.mjs, the root preinstall).
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const manifest = JSON.parse(await readFile(`${root}package.json`, 'utf8')) as {
  devDependencies: Record<string, string>;
  engines: Record<string, string>;
  devEngines: { packageManager: { name: string; version: string; onFail: string } };
  scripts: Record<string, string>;
};

async function preinstall(userAgent: string): Promise<{ code: number; stderr: string }> {
  try {
    await promisify(execFile)(process.execPath, ['scripts/require-npm.mjs'], {
      cwd: root,
      env: { ...process.env, npm_config_user_agent: userAgent },
    });
    return { code: 0, stderr: '' };
  } catch (error) {
    const failed = error as { code: number; stderr: string };
    return { code: failed.code, stderr: failed.stderr };
  }
}

describe('toolchain', () => {
  it('runs on the Node the node devDependency pins, not the system one', () => {
    expect(process.version).toBe(`v${manifest.devDependencies.node}`);
  });

  it('asks for the npm that honours allowScripts in engines, devEngines and the preinstall check', async () => {
    expect(manifest.engines.npm).toBe('>=11.16.0');
    expect(manifest.devEngines.packageManager).toEqual({
      name: 'npm',
      version: '>=11.16.0',
      onFail: 'error',
    });
    expect(manifest.scripts.preinstall).toBe('node scripts/require-npm.mjs');
    expect(await readFile(`${root}scripts/require-npm.mjs`, 'utf8')).toContain(
      'const minimum = [11, 16, 0];',
    );
  });

  it.each(['npm/10.8.2 node/v20.20.2 linux x64', 'npm/11.15.9 node/v22.12.0 linux x64', 'npm/9.9.9'])(
    'stops an install by %s with a message saying what to do',
    async (agent) => {
      const { code, stderr } = await preinstall(agent);
      expect(code).toBe(1);
      expect(stderr).toMatch(/needs npm >= 11\.16\.0 \(found [\d.]+\).*npm install -g npm@11/s);
    },
  );

  it.each(['npm/11.16.0 node/v20.20.2', 'npm/11.19.1 node/v24.21.0', 'npm/12.0.0 node/v24.21.0', ''])(
    'lets %j install',
    async (agent) => {
      expect(await preinstall(agent)).toEqual({ code: 0, stderr: '' });
    },
  );
});
