/**
 * @module
 * `modalfuse batch` against the stack (the Worker under `wrangler dev`, its local queue and R2, a real backend):
 * a JSONL file uploaded, run, and its output and error files downloaded beside it; a file that fails validation
 * exits 1 naming the line; an endpoint it cannot run is a usage error.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers.ts';

async function jsonlFile(lines: readonly unknown[]): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'modalfuse-batch-')), 'requests.jsonl');
  await writeFile(
    path,
    lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n') + '\n',
  );
  return path;
}

const line = (id: string, body: unknown) => ({ custom_id: id, method: 'POST', url: '/v1/embeddings', body });

async function jsonLines(path: string): Promise<{ custom_id: string; response: { status_code: number } }[]> {
  const text = await readFile(path, 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((entry) => JSON.parse(entry) as never);
}

describe('modalfuse batch', () => {
  it('uploads, waits and downloads the output and error files', async () => {
    const texts = ['a red apple', 'a blue sky', 'green grass', `fresh ${crypto.randomUUID()}`];
    const requests = texts.map((input, i) => line(`t${i}`, { model: 'text-hash-256', input }));
    const path = await jsonlFile([...requests, line('bad', { model: 'no-such-model', input: 'x' })]);
    const run = await cli('--json', 'batch', path, '--interval', '100');
    expect(run.code, run.err).toBe(0);
    const { batch, files } = JSON.parse(run.out) as {
      batch: { status: string; request_counts: unknown };
      files: { output: string; errors: string };
    };
    expect(batch).toMatchObject({
      status: 'completed',
      request_counts: { total: 5, completed: 4, failed: 1 },
    });
    expect(files.output).toBe(path.replace(/\.jsonl$/, '.output.jsonl'));
    const output = await jsonLines(files.output);
    expect(output.map((entry) => [entry.custom_id, entry.response.status_code])).toEqual(
      texts.map((_, i) => [`t${i}`, 200]),
    );
    const errors = await jsonLines(files.errors);
    expect(errors.map((entry) => entry.custom_id)).toEqual(['bad']);
    expect(errors[0]?.response.status_code).toBeGreaterThanOrEqual(400);
    expect(errors[0]?.response.status_code).toBeLessThan(500);
  });

  it('exits 1 naming the line of a file that fails validation', async () => {
    const path = await jsonlFile([line('a', { model: 'text-hash-256', input: 'a' }), '{not json']);
    const run = await cli('batch', path);
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/status\s+failed/);
    expect(run.out).toContain('line 2: invalid_json_line');
  });

  it('refuses an endpoint it cannot run as a usage error', async () => {
    const path = await jsonlFile([{ custom_id: 'a', method: 'POST', url: '/v1/chat/completions', body: {} }]);
    const run = await cli('batch', path);
    expect(run.code).toBe(2);
    expect(run.err).toContain('/v1/embeddings, /v1/classify');
  });
});
