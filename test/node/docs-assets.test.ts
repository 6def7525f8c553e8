/**
 * @module
 * The files `/docs` serves come from the installed swagger-ui-dist through the `[assets]` folder of wrangler.toml:
 * the folder is that package, every file the route lets through exists there, and the version the page names for
 * a `DOCS_ASSETS_URL` override is the one installed.
 */
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
// Imported by name so that this Node project does not type-check the Worker's modules (Workers types).
const docsModule = '../../src/routes/docs.ts';
const { docsAssets, swaggerUiVersion } = (await import(docsModule)) as {
  docsAssets: Record<string, string>;
  swaggerUiVersion: string;
};
const packageDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

describe('the docs assets', () => {
  it('are the installed swagger-ui-dist, of the version the page names', async () => {
    const manifest = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(manifest.version).toBe(swaggerUiVersion);
    const wrangler = await readFile(join(root, 'wrangler.toml'), 'utf8');
    const directory = /\[assets\][^[]*?directory\s*=\s*"([^"]+)"/.exec(wrangler)?.[1] ?? '';
    expect(resolve(root, directory)).toBe(packageDir);
    for (const name of Object.keys(docsAssets))
      expect((await stat(join(packageDir, name))).size).toBeGreaterThan(1000);
  });
});
