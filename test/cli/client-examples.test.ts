/**
 * @module
 * The typed client's examples (`client/examples/`), run as a user would (`tsx`, the API's URL as argument)
 * against the real stack: they must not only type-check (`npm run typecheck`) but work. So must the README's
 * openai-SDK snippet, run as written in open mode (no key in the environment), but for the edge's port.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';

const run = promisify(execFile);

async function example(name: string): Promise<string> {
  const file = fileURLToPath(new URL(`../../client/examples/${name}`, import.meta.url));
  const { stdout } = await run(process.execPath, ['--import', 'tsx', file, inject('edgeUrl')], {
    timeout: 60_000,
  });
  return stdout;
}

/**
 * The README's snippet: the code block of "Using it from code", from `import OpenAI` to the typed client's import,
 * with what it got printed, in a module where `openai` resolves (under node_modules, which git ignores).
 */
async function readmeSnippet(): Promise<string> {
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Using it from code'));
  const block = section.slice(section.indexOf('```ts\n') + 6, section.indexOf('```\n', 1));
  const snippet = block.slice(0, block.indexOf('import { createModalFuseClient'));
  expect(snippet).toMatch(/^import OpenAI from 'openai';/);
  const code = snippet.replaceAll('http://127.0.0.1:8787', inject('edgeUrl'));
  const dir = new URL('../../node_modules/.cache/modalfuse-readme/', import.meta.url);
  await mkdir(dir, { recursive: true });
  const file = fileURLToPath(new URL('openai-snippet.mts', dir));
  await writeFile(file, `${code}console.log(JSON.stringify(data.map((item) => item.embedding.length)));\n`);
  return file;
}

describe('client examples', () => {
  it("the README's openai-SDK snippet works as written in open mode", async () => {
    const unset = new Set(['MODALFUSE_API_KEY', 'MODALFUSE_KEY', 'OPENAI_API_KEY']);
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !unset.has(name)));
    const file = await readmeSnippet();
    const { stdout } = await run(process.execPath, ['--import', 'tsx', file], { timeout: 60_000, env });
    expect(stdout).toBe('[64,64]\n');
  });

  it('embed-and-classify.ts embeds, teaches, classifies and cleans up', async () => {
    const out = await example('embed-and-classify.ts');
    expect(out).toMatch(/^2 embeddings of 512 dimensions, \d+ tokens\n/);
    expect(out).toMatch(/\ntask colours-\d+: 2 examples added\n/);
    expect(out).toMatch(/\nlabel: red \(red [01]\.\d{3}, blue [01]\.\d{3}\)\n$/);
  });

  it('openai-sdk.ts embeds through the OpenAI SDK', async () => {
    expect(await example('openai-sdk.ts')).toMatch(/^512 \{ prompt_tokens: 1, total_tokens: 1 \}\n$/);
  });
});
