/**
 * @module
 * The `modalfuse` CLI against the real stack (backend + Worker under `wrangler dev`): tasks, classify, embed,
 * evaluate, tenants (refused: the stack is open), and the shell's view of it: exit codes, messages on stderr, `--json` on stdout.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { Classification, TaskView } from '#client';
import type { Evaluation } from '../../cli/evaluate.ts';
import { apiKeyOf } from '../../cli/program.ts';
import { cli, cliJson, labelledFolder, spawnBin } from './helpers.ts';

describe('usage', () => {
  it('takes the key from --api-key, else MODALFUSE_API_KEY, else its old name MODALFUSE_KEY', () => {
    const both = { MODALFUSE_API_KEY: 'new', MODALFUSE_KEY: 'old' };
    expect(apiKeyOf('flag', both)).toBe('flag');
    expect(apiKeyOf(undefined, both)).toBe('new');
    expect(apiKeyOf(undefined, { MODALFUSE_API_KEY: '', MODALFUSE_KEY: 'old' })).toBe('old');
    expect(apiKeyOf(undefined, {})).toBeUndefined();
  });

  it('exits 2 with a message for a missing command, an unknown one, or no inputs', async () => {
    expect((await cli()).code).toBe(2);
    const unknown = await cli('clasify');
    expect(unknown).toMatchObject({ code: 2, err: expect.stringContaining("unknown command 'clasify'") });
    const empty = await cli('classify', '--task', 'x');
    expect(empty).toMatchObject({ code: 2, err: 'modalfuse: give at least one of --text, --image, --audio' });
    const weights = await cli('classify', '--task', 'x', '--text', 'a', '--weights', 'text=-1');
    expect(weights.code).toBe(2);
    expect(weights.err).toContain('modality=number pairs');
    expect((await cli('--help')).code).toBe(0);
  });

  it('exits 1 when the API cannot be reached or a file cannot be read', async () => {
    const down = await cli('--url', 'http://127.0.0.1:9', 'tasks', 'list');
    expect(down.code).toBe(1);
    expect(down.err).toMatch(/^modalfuse: cannot reach http:\/\/127\.0\.0\.1:9 .*see --url/);
    const missing = await cli('classify', '--task', 'x', '--image', '/nonexistent.png');
    expect(missing).toMatchObject({
      code: 1,
      err: 'modalfuse: cannot read /nonexistent.png: no such file or directory',
    });
  });

  it('runs as the real bin: --json errors on stderr, exit code 1 for an API error', async () => {
    const run = await spawnBin('--json', 'tasks', 'show', 'no-such-task').exited;
    expect(run.code).toBe(1);
    expect(run.out).toBe('');
    expect(JSON.parse(run.err)).toMatchObject({
      status: 404,
      error: expect.stringContaining('no-such-task'),
    });
  });
});

describe('tenants', () => {
  it('sends --tenant as ModalFuse-Tenant and lists tenants, both for admin keys (refused by the open API)', async () => {
    const actingAs = await cli('--tenant', 'shop', 'tasks', 'list');
    expect(actingAs).toMatchObject({
      code: 1,
      err: expect.stringContaining('ModalFuse-Tenant is for admin keys'),
    });
    const tenants = await cli('tenants');
    expect(tenants).toMatchObject({
      code: 1,
      err: expect.stringMatching(/^modalfuse: 403 .*needs an admin key/),
    });
  });
});

describe('tasks', () => {
  it('creates, lists, shows and deletes', async () => {
    const created = await cli('tasks', 'create', 'cli-crud', '--labels', 'cat, dog', '--strategy', 'product');
    expect(created).toMatchObject({ code: 0, out: 'created cli-crud: cat, dog' });
    const again = await cli('tasks', 'create', 'cli-crud', '--labels', 'cat,dog');
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/^modalfuse: 409 Conflict: /);
    expect((await cli('tasks', 'list')).out).toMatch(
      /^id\s+labels\s+modalities\s+updated\n(.|\n)*cli-crud\s+2\s+text,image,audio/,
    );
    const task = await cliJson<TaskView>('tasks', 'show', 'cli-crud');
    expect(task).toMatchObject({ id: 'cli-crud', labels: ['cat', 'dog'], fusion: { strategy: 'product' } });
    expect((await cli('tasks', 'show', 'cli-crud')).out).toMatch(
      /^cli-crud \(version 1\): cat, dog\nfusion: product/,
    );
    expect(await cli('tasks', 'delete', 'cli-crud')).toMatchObject({ code: 0, out: 'deleted cli-crud' });
    expect((await cli('tasks', 'delete', 'cli-crud')).code).toBe(1);
  });
});

describe('a taught task', () => {
  let heldOut: string;
  beforeAll(async () => {
    expect((await cli('tasks', 'create', 'cli-colours', '--labels', 'red,blue')).code).toBe(0);
    const examples = await labelledFolder([0, 1, 2]);
    expect((await cli('examples', 'add', '--task', 'cli-colours', examples)).code).toBe(0);
    heldOut = await labelledFolder([3]);
  });

  it('classifies text + image + audio, with a strategy and weights', async () => {
    const media = inject('fixtureDir');
    const args = [
      '--task',
      'cli-colours',
      '--text',
      'ripe red cherries',
      '--image',
      join(media, 'red-3.jpg'),
    ];
    const result = await cliJson<Classification>('classify', ...args, '--audio', join(media, 'red-3.wav'));
    expect(result.label).toBe('red');
    expect(Object.keys(result.modalities)).toEqual(['text', 'image', 'audio']);
    const text = await cli('classify', ...args, '--strategy', 'product', '--weights', 'text=0,image=1');
    expect(text.out).toMatch(/^red {2}\(product\)\n\s+fused\s+text\s+image\nred\s+\d\.\d{3}/);
    expect(text.out).toContain('not used: audio (absent)');
  });

  it('evaluates a folder per strategy and per modality', async () => {
    const evaluation = await cliJson<Evaluation>('evaluate', '--task', 'cli-colours', heldOut);
    // The API's evaluation route (the fallback without it: evaluate-fallback.test.ts).
    expect(evaluation).toMatchObject({
      source: 'api',
      items: 2,
      failed: [],
      recommended: expect.any(String),
    });
    const strategies = evaluation.strategies.map((row) => row.name);
    expect(strategies).toEqual(expect.arrayContaining(['weighted', 'product']));
    expect(evaluation.strategies.find((row) => row.name === 'weighted')).toMatchObject({ n: 2, accuracy: 1 });
    expect(evaluation.modalities.map((row) => row.name).sort()).toEqual(['audio', 'image', 'text']);
    const text = await cli('evaluate', '--task', 'cli-colours', heldOut);
    expect(text.out).toMatch(/^2 item\(s\), evaluated by the API \(POST \/v1\/tasks\/\{id\}\/evaluate\)\n/);
    expect(text.out).toMatch(/\nrecommended strategy: \w+$/m);
    expect(text.out).toMatch(/\nweighted\s+2\s+1\.000\s/);
  });
});

describe('embed', () => {
  it('embeds files with the model of their modality', async () => {
    const media = inject('fixtureDir');
    const note = join(await labelledFolder([0]), 'note.txt');
    await writeFile(note, 'a red apple');
    const results = await cliJson<{ file: string; model: string; embedding: number[] }[]>(
      'embed',
      note,
      join(media, 'red-0.png'),
    );
    expect(results.map((r) => [r.model, r.embedding.length])).toEqual([
      ['use-lite', 512],
      ['mobilenetv2-int8', 1280],
    ]);
    const unknown = await cli('embed', '/tmp/x.bin');
    expect(unknown).toMatchObject({
      code: 2,
      err: 'modalfuse: /tmp/x.bin: unknown file type; say --modality',
    });
  });
});
