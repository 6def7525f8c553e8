/**
 * @module
 * `modalfuse examples add` against the real stack: a folder with a corrupt file (reported and skipped, the rest
 * still added, exit 1), a re-run that adds nothing twice, a run of the real bin interrupted by Ctrl-C (SIGINT)
 * and then resumed, and a run with four requests in flight at once, after each of which every item is in the
 * task exactly once.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TaskView } from '#client';
import type { TeachSummary } from '../../cli/teach.ts';
import { cli, cliJson, labelledFolder, spawnBin } from './helpers.ts';

async function exampleCounts(task: string): Promise<Record<string, number>> {
  const { modalities } = await cliJson<TaskView>('tasks', 'show', task);
  return Object.fromEntries(Object.entries(modalities).map(([name, modality]) => [name, modality.examples]));
}

async function stateSize(path: string): Promise<number> {
  const text = await readFile(path, 'utf8').catch(() => '{"done": []}');
  return (JSON.parse(text) as { done: string[] }).done.length;
}

describe('examples add', () => {
  it('reports and skips a corrupt file, adds the rest, and adds nothing twice when run again', async () => {
    expect((await cli('tasks', 'create', 'cli-corrupt', '--labels', 'red,blue')).code).toBe(0);
    const dir = await labelledFolder([0, 1, 2]);
    await writeFile(join(dir, 'blue', 'broken.png'), Buffer.from('\x89PNG\r\n\x1a\nthis is not a picture'));
    await writeFile(join(dir, 'blue', 'broken.txt'), 'a broken blue thing');
    await writeFile(join(dir, 'red', 'notes.pdf'), 'not a modality');

    const first = await cli('--json', 'examples', 'add', '--task', 'cli-corrupt', '--batch', '3', dir);
    expect(first.code).toBe(1);
    const summary = JSON.parse(first.out) as TeachSummary;
    expect(summary).toMatchObject({ items: 7, added: 7, files: 19, skipped: 0, interrupted: false });
    expect(summary.failed).toEqual([
      { item: 'blue/broken', file: join(dir, 'blue', 'broken.png'), error: expect.stringMatching(/^4\d\d /) },
    ]);
    expect(summary.ignored).toEqual([join(dir, 'red', 'notes.pdf')]);
    expect(await exampleCounts('cli-corrupt')).toEqual({ text: 7, image: 6, audio: 6, html: 0 });

    const again = await cli('examples', 'add', '--task', 'cli-corrupt', dir);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(
      /^added 0 item\(s\), 0 file\(s\); 7 already added; 0 failure\(s\); 7 item\(s\)/,
    );
    expect(await exampleCounts('cli-corrupt')).toEqual({ text: 7, image: 6, audio: 6, html: 0 });
  });

  it('stops on Ctrl-C after the requests in flight, and a second run resumes', async () => {
    expect((await cli('tasks', 'create', 'cli-resume', '--labels', 'red,blue')).code).toBe(0);
    const dir = await labelledFolder([0, 1, 2], 4);
    const state = join(dir, 'state.json');
    const child = spawnBin('examples', 'add', '--task', 'cli-resume', '--batch', '1', '--state', state, dir);
    await expect.poll(() => stateSize(state), { timeout: 60_000, interval: 20 }).toBeGreaterThan(0);
    child.kill('SIGINT');
    const interrupted = await child.exited;
    expect(interrupted.code).toBe(130);
    expect(interrupted.err).toContain('stopping after the requests in flight');
    expect(interrupted.out).toContain('interrupted: run the same command again to resume');
    const before = await stateSize(state);
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(24);

    const resumed = await cliJson<TeachSummary>(
      'examples',
      'add',
      '--task',
      'cli-resume',
      '--state',
      state,
      dir,
    );
    expect(resumed).toMatchObject({ items: 24, skipped: before, added: 24 - before, failed: [] });
    expect(await exampleCounts('cli-resume')).toEqual({ text: 24, image: 24, audio: 24, html: 0 });
  });

  it('adds every item exactly once with several requests in flight (the default concurrency, 4)', async () => {
    expect((await cli('tasks', 'create', 'cli-concurrent', '--labels', 'red,blue')).code).toBe(0);
    const dir = await labelledFolder([0, 1, 2], 4);
    // One item per request, so that four requests write to the one task at the same time.
    const summary = await cliJson<TeachSummary>(
      'examples',
      'add',
      '--task',
      'cli-concurrent',
      '--batch',
      '1',
      dir,
    );
    expect(summary).toMatchObject({ items: 24, added: 24, files: 72, skipped: 0, failed: [] });
    expect(await exampleCounts('cli-concurrent')).toEqual({ text: 24, image: 24, audio: 24, html: 0 });
  });

  it('refuses an unknown task before reading the folder (exit 1)', async () => {
    const run = await cli('examples', 'add', '--task', 'no-such-task', '/nonexistent');
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/^modalfuse: 404 .*no-such-task/);
  });
});
