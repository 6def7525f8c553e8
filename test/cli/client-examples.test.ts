/**
 * @module
 * The typed client's examples (`client/examples/`), run as a user would (`tsx`, the API's URL as argument)
 * against the real stack: they must not only type-check (`npm run typecheck`) but work.
 */
import { execFile } from 'node:child_process';
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

describe('client examples', () => {
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
