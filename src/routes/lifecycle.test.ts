/**
 * @module
 * A task's life past creation, against the real Durable Object bindings and without a backend (example embeddings
 * are handed to the task's object directly, as the examples route does after embedding): replace with If-Match,
 * ETags, the view without stored embeddings, removing examples by id and by label, refit (linear heads,
 * calibration, stacking) and given linear weights.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { EmbeddedExample } from '../tasks/examples.ts';
import type { Task, TaskView } from '../tasks/schema.ts';
import { TaskStore } from '../tasks/store.ts';
import { publicTenant } from '../tenants/tenant.ts';
import { call, expectProblem, postJson } from '../../test/edge/helpers.ts';

const labels = ['red', 'blue'];

/** Six two-modality examples per label: text clean, image noisier; text is the only modality of the last one. */
function embedded(): EmbeddedExample[] {
  return Array.from({ length: 12 }, (_, index) => {
    const label = labels[index % 2] ?? 'red';
    const side = index % 2 === 0 ? 1 : -1;
    const text = { modality: 'text', index, label, embedding: [side, 0.3 + index * 0.01, 0, 1] };
    const image = {
      modality: 'image',
      index,
      label,
      embedding: [0.2 * side + (index % 3) * 0.1, 1, index * 0.02],
    };
    return index === 11 ? [text] : [text, image];
  }).flat();
}

/** Creates the task and teaches it {@link embedded}; the task and the ids its examples got. */
async function taught(
  id: string,
  modalities: Record<string, unknown> = { audio: false },
): Promise<{ task: Task; ids: number[] }> {
  const response = await postJson('/v1/tasks', { id, labels, modalities });
  expect(response.status).toBe(201);
  const created = (await response.json()) as Task;
  const models = Object.fromEntries(
    Object.entries(created.modalities).map(([name, head]) => [name, head.model]),
  );
  const { task, outcome } = await new TaskStore(env, publicTenant).apply(id, {
    kind: 'add-examples',
    examples: embedded(),
    models,
  });
  return { task, ids: outcome.ids ?? [] };
}

function put(id: string, body: unknown, ifMatch?: string): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (ifMatch !== undefined) headers['if-match'] = ifMatch;
  return call(`/v1/tasks/${id}`, { method: 'PUT', headers, body: JSON.stringify(body) });
}

interface ExamplePage {
  object: string;
  data: { id: number; label: string; modalities: string[]; created: string | null }[];
  has_more: boolean;
  last_id: number | null;
}

async function page(id: string, query: string): Promise<ExamplePage> {
  const response = await call(`/v1/tasks/${id}/examples?${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as ExamplePage;
}

describe('examples kept for refit', () => {
  it('get ids, count in the view, and are not part of the task', async () => {
    const { task, ids } = await taught('kept');
    expect(task.nextExample).toBe(13);
    expect(ids).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(task.modalities.text?.stored).toEqual([]);
    const response = await call('/v1/tasks/kept');
    expect(response.headers.get('etag')).toBe(`"${task.version}"`);
    const view = (await response.json()) as TaskView & { modalities: Record<string, { stored?: unknown }> };
    expect(view.modalities.text?.storedExamples).toBe(12);
    expect(view.modalities.image?.storedExamples).toBe(11);
    expect(view.modalities.text?.stored).toBeUndefined();
  });

  it('are listed a page at a time by GET /v1/tasks/{id}/examples, without embeddings', async () => {
    await taught('listed');
    const first = await page('listed', 'limit=5');
    expect(first).toMatchObject({ object: 'list', has_more: true, last_id: 5 });
    expect(first.data.map((e) => e.id)).toEqual([1, 2, 3, 4, 5]);
    expect(first.data[0]).toEqual({
      id: 1,
      label: 'red',
      modalities: ['image', 'text'],
      created: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as string,
    });
    const rest = await page('listed', `limit=5&after=${first.last_id}`);
    expect(rest.data.map((e) => e.id)).toEqual([6, 7, 8, 9, 10]);
    const last = await page('listed', 'after=10');
    expect(last).toMatchObject({ has_more: false, last_id: 12 });
    expect(last.data[1]).toMatchObject({ id: 12, label: 'blue', modalities: ['text'] });
    expect(await page('listed', 'after=12')).toMatchObject({ data: [], has_more: false, last_id: null });
    await expectProblem(await call('/v1/tasks/listed/examples?limit=0'), 400);
    await expectProblem(await call('/v1/tasks/nobody/examples'), 404);
  });
});

describe('PUT /v1/tasks/{id}', () => {
  it('replaces labels, heads and fusion, drops the examples and moves the version on', async () => {
    const { task: before } = await taught('replace');
    const response = await put(
      'replace',
      { labels: ['a', 'b', 'c'], fusion: { strategy: 'vote' } },
      `"${before.version}"`,
    );
    expect(response.status).toBe(200);
    const after = (await response.json()) as TaskView;
    expect(after).toMatchObject({ id: 'replace', labels: ['a', 'b', 'c'], version: before.version + 1 });
    expect(after.createdAt).toBe(before.createdAt);
    expect(after.fusion.strategy).toBe('vote');
    expect(after.modalities.text).toMatchObject({ examples: 0, storedExamples: 0 });
    expect(response.headers.get('etag')).toBe(`"${before.version + 1}"`);
  });

  it('answers 412 for a stale If-Match, 400 for a malformed one, 404 for no task', async () => {
    await taught('stale');
    const stale = await expectProblem(await put('stale', { labels: ['x', 'y'] }, '"1"'), 412);
    expect(stale).toMatchObject({ code: 'version-mismatch', version: 2 });
    expect((await expectProblem(await put('stale', { labels: ['x', 'y'] }, 'yesterday'), 400)).code).toBe(
      'invalid-if-match',
    );
    expect((await put('stale', { labels: ['x', 'y'] }, '*')).status).toBe(200);
    await expectProblem(await put('nobody', { labels: ['x', 'y'] }), 404);
    await expectProblem(await put('stale', { labels: ['x'] }), 400);
  });
});

describe('DELETE examples', () => {
  it('takes one example out of every modality by id, then 404 for it', async () => {
    await taught('drop-one');
    const response = await call('/v1/tasks/drop-one/examples/3', { method: 'DELETE' });
    expect(response.status).toBe(200);
    const { removed, task } = (await response.json()) as { removed: number; task: TaskView };
    expect(removed).toBe(1);
    expect(task.modalities.text).toMatchObject({ examples: 11, storedExamples: 11 });
    expect(task.modalities.text?.prototype.counts).toEqual({ red: 5, blue: 6 });
    expect(task.modalities.image?.prototype.counts).toEqual({ red: 5, blue: 5 });
    const again = await call('/v1/tasks/drop-one/examples/3', { method: 'DELETE' });
    expect((await expectProblem(again, 404)).code).toBe('unknown-example');
    await expectProblem(await call('/v1/tasks/drop-one/examples/zero', { method: 'DELETE' }), 400);
  });

  it('takes every example of a label out, and its centroid with them', async () => {
    await taught('drop-label');
    const response = await call('/v1/tasks/drop-label/examples?label=blue', { method: 'DELETE' });
    const { removed, task } = (await response.json()) as { removed: number; task: TaskView };
    expect(removed).toBe(6);
    expect(task.modalities.text?.prototype.counts).toEqual({ red: 6 });
    expect(Object.keys(task.modalities.text?.prototype.sums ?? {})).toEqual(['red']);
    const none = await call('/v1/tasks/drop-label/examples?label=blue', { method: 'DELETE' });
    expect(((await none.json()) as { removed: number }).removed).toBe(0);
  });
});

describe('POST /v1/tasks/{id}/refit', () => {
  it('fits linear heads, calibration temperatures and the stacking model from the stored examples', async () => {
    await taught('refit', { audio: false, image: { head: 'linear' } });
    const before = (await (await call('/v1/tasks/refit')).json()) as TaskView;
    expect(before.modalities.image?.linear).toBeUndefined();
    const response = await call('/v1/tasks/refit/refit?folds=4', { method: 'POST' });
    expect(response.status).toBe(200);
    const { report, task } = (await response.json()) as {
      report: {
        examples: number;
        folds: number;
        temperatures: Record<string, number>;
        stacking: boolean;
        linear: string[];
      };
      task: TaskView;
    };
    expect(report).toMatchObject({ examples: 12, folds: 4, stacking: true, linear: ['image'] });
    expect(Object.keys(report.temperatures).sort()).toEqual(['image', 'text']);
    expect(task.modalities.image?.linear).toMatchObject({ dimension: 3 });
    expect(task.modalities.text?.calibration).toBe(report.temperatures.text);
    expect(Object.keys(task.fusion.stacking?.coefficients ?? {}).sort()).toEqual(['image', 'text']);
    expect(task.version).toBe(before.version + 1);
    await expectProblem(await call('/v1/tasks/refit/refit?folds=1', { method: 'POST' }), 400);
    await expectProblem(await call('/v1/tasks/ghost/refit', { method: 'POST' }), 404);
  });

  it('fits nothing without stored examples', async () => {
    expect((await postJson('/v1/tasks', { id: 'empty', labels })).status).toBe(201);
    const { report } = (await (await call('/v1/tasks/empty/refit', { method: 'POST' })).json()) as {
      report: { stacking: boolean; examples: number };
    };
    expect(report).toMatchObject({ stacking: false, examples: 0 });
  });
});

describe('given linear weights', () => {
  it('makes a linear head, and refuses weights of the wrong shape', async () => {
    const weights = [
      [1, 0],
      [0, 1],
    ];
    const ok = await postJson('/v1/tasks', {
      id: 'given',
      labels,
      modalities: { text: { linear: { weights } } },
    });
    expect(ok.status).toBe(201);
    expect(((await ok.json()) as TaskView).modalities.text).toMatchObject({
      head: 'linear',
      linear: { dimension: 2, bias: [0, 0] },
    });
    const short = await postJson('/v1/tasks', {
      id: 'short',
      labels,
      modalities: { text: { linear: { weights: [[1, 0]] } } },
    });
    await expectProblem(short, 400);
    const ragged = { weights: [[1, 0], [1]] };
    const bad = await postJson('/v1/tasks', {
      id: 'ragged',
      labels,
      modalities: { text: { linear: ragged } },
    });
    expect((await expectProblem(bad, 400)).code).toBe('invalid-linear-head');
  });
});
