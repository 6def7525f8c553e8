/**
 * @module
 * Task storage in Durable Objects, inside workerd: concurrent changes to one task all land (none lost, ids
 * distinct), `If-Match` is a compare-and-swap (of many writers holding the same version exactly one wins, the rest
 * get 412), and the task index lists what exists, ignoring reports that arrive out of order and getting a lost
 * report back from the task object's alarm.
 */
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, expectProblem, postJson } from '../../test/edge/helpers.ts';
import type { EmbeddedExample } from './examples.ts';
import { taskIndexName } from './addresses.ts';
import type { Task, TaskView } from './schema.ts';
import { TaskStore } from './store.ts';
import { publicTenant } from '../tenants/tenant.ts';

const store = new TaskStore(env, publicTenant);
const labels = ['red', 'blue'];

async function created(id: string): Promise<Task> {
  const response = await postJson('/v1/tasks', { id, labels, modalities: { audio: false, html: false } });
  expect(response.status).toBe(201);
  return (await response.json()) as Task;
}

function modelsOf(task: Task): Record<string, string> {
  return Object.fromEntries(Object.entries(task.modalities).map(([name, head]) => [name, head.model]));
}

/** One example with a text and an image embedding; `n` makes it recognisable. */
function example(n: number): EmbeddedExample[] {
  const label = labels[n % 2] ?? 'red';
  return [
    { modality: 'text', index: 0, label, embedding: [1, n, 0] },
    { modality: 'image', index: 0, label, embedding: [n, 1] },
  ];
}

describe('concurrent changes to one task', () => {
  it('keeps every one of many concurrent example uploads, each with its own id', async () => {
    const task = await created('crowd');
    const models = modelsOf(task);
    const uploads = 40;
    const results = await Promise.all(
      Array.from({ length: uploads }, (_, n) =>
        store.apply('crowd', { kind: 'add-examples', examples: example(n), models }),
      ),
    );
    const ids = results.flatMap((result) => result.outcome.ids ?? []);
    expect(ids).toHaveLength(uploads);
    expect(new Set(ids).size).toBe(uploads);
    expect([...ids].sort((a, b) => a - b)).toEqual(Array.from({ length: uploads }, (_, i) => i + 1));
    const versions = results.map((result) => result.task.version);
    expect(new Set(versions).size).toBe(uploads);
    const view = (await (await call('/v1/tasks/crowd')).json()) as TaskView;
    expect(view).toMatchObject({ version: 1 + uploads, nextExample: uploads + 1 });
    for (const name of ['text', 'image']) {
      expect(view.modalities[name]).toMatchObject({ examples: uploads, storedExamples: uploads });
      expect(view.modalities[name]?.prototype.counts).toEqual({ red: uploads / 2, blue: uploads / 2 });
    }
  });

  it('keeps uploads and removals that run at once apart', async () => {
    const task = await created('mixed');
    const models = modelsOf(task);
    const first = await Promise.all(
      [0, 1, 2, 3].map((n) => store.apply('mixed', { kind: 'add-examples', examples: example(n), models })),
    );
    const early = first.flatMap((result) => result.outcome.ids ?? []);
    const [, , ...later] = await Promise.all([
      store.apply('mixed', { kind: 'remove-examples', selector: { ids: [early[0] ?? 0] } }),
      store.apply('mixed', { kind: 'remove-examples', selector: { ids: [early[1] ?? 0] } }),
      ...[4, 5, 6].map((n) => store.apply('mixed', { kind: 'add-examples', examples: example(n), models })),
    ]);
    const view = (await (await call('/v1/tasks/mixed')).json()) as TaskView;
    expect(view.modalities.text).toMatchObject({ examples: 5, storedExamples: 5 });
    expect(later.flatMap((result) => result.outcome.ids)).toEqual(expect.arrayContaining([5, 6, 7]));
    expect(view.version).toBe(1 + 4 + 2 + 3);
  });

  it('lets exactly one of many writers holding the same version win; the others get 412', async () => {
    const task = await created('cas');
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, n) =>
        call('/v1/tasks/cas', {
          method: 'PUT',
          headers: { 'content-type': 'application/json', 'if-match': `"${task.version}"` },
          body: JSON.stringify({ labels: [`a${n}`, `b${n}`] }),
        }),
      ),
    );
    const statuses = answers.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 412)).toHaveLength(11);
    const stale = answers.find((response) => response.status === 412) as Response;
    expect(await expectProblem(stale, 412)).toMatchObject({ code: 'version-mismatch', version: 2 });
    const winner = answers.find((response) => response.status === 200) as Response;
    const won = (await winner.json()) as TaskView;
    expect((await (await call('/v1/tasks/cas')).json()) as TaskView).toMatchObject({
      version: 2,
      labels: won.labels,
    });
  });

  it('answers 412 to a stale If-Match on examples and refit, and 409 to examples embedded before a replace', async () => {
    const task = await created('stale-examples');
    const models = modelsOf(task);
    await store.apply('stale-examples', { kind: 'add-examples', examples: example(0), models });
    const removal = await call('/v1/tasks/stale-examples/examples/1', {
      method: 'DELETE',
      headers: { 'if-match': '"1"' },
    });
    expect(await expectProblem(removal, 412)).toMatchObject({ code: 'version-mismatch', version: 2 });
    const refit = await call('/v1/tasks/stale-examples/refit', {
      method: 'POST',
      headers: { 'if-match': 'W/"1"' },
    });
    await expectProblem(refit, 412);
    const other = { ...models, text: 'another-model' };
    await expect(
      store.apply('stale-examples', { kind: 'add-examples', examples: example(1), models: other }),
    ).rejects.toMatchObject({ status: 409, code: 'task-changed' });
    const gone = [{ modality: 'text', index: 0, label: 'green', embedding: [1, 0, 0] }];
    await expect(
      store.apply('stale-examples', { kind: 'add-examples', examples: gone, models }),
    ).rejects.toMatchObject({ status: 409, code: 'task-changed' });
  });
});

describe('the task index', () => {
  it('lists created tasks, forgets deleted ones and sees them again when re-created', async () => {
    await created('listed-a');
    await created('listed-b');
    const ids = async () =>
      ((await (await call('/v1/tasks?limit=1000')).json()) as { data: { id: string }[] }).data.map(
        (t) => t.id,
      );
    expect(await ids()).toEqual(expect.arrayContaining(['listed-a', 'listed-b']));
    expect((await call('/v1/tasks/listed-a', { method: 'DELETE' })).status).toBe(204);
    expect(await ids()).not.toContain('listed-a');
    await created('listed-a');
    expect(await ids()).toContain('listed-a');
  });

  it('ignores a report older than the one it holds', async () => {
    const index = env.TASK_INDEX.getByName(taskIndexName(publicTenant));
    const summary = { id: 'ordered', labels: 2, modalities: ['text'], version: 3, updatedAt: 'later' };
    await index.record('ordered', 5, summary);
    await index.record('ordered', 4, null);
    await index.record('ordered', 3, { ...summary, version: 2, updatedAt: 'earlier' });
    const page = await index.list(1000);
    expect(page.data.find((t) => t.id === 'ordered')).toEqual(summary);
    await index.record('ordered', 6, null);
    expect((await index.list(1000)).data.map((t) => t.id)).not.toContain('ordered');
  });

  it("gets a report that was lost back by the task object's alarm", async () => {
    await created('lost-report');
    const ids = async () =>
      ((await (await call('/v1/tasks?limit=1000')).json()) as { data: { id: string }[] }).data.map(
        (t) => t.id,
      );
    // As if the report had never arrived: the index forgets the task, and the task object has it pending.
    await runInDurableObject(env.TASK_INDEX.getByName(taskIndexName(publicTenant)), (_, state) => {
      state.storage.sql.exec('DELETE FROM tasks WHERE id = ?', 'lost-report');
    });
    expect(await ids()).not.toContain('lost-report');
    const object = env.TASK_OBJECTS.getByName('lost-report');
    await runInDurableObject(object, (_, state) => {
      state.storage.sql.exec('INSERT INTO index_pending (id) VALUES (?)', 'lost-report');
    });
    expect(await runDurableObjectAlarm(object)).toBe(false);
    await runInDurableObject(object, async (instance) => instance.alarm());
    expect(await ids()).toContain('lost-report');
    await runInDurableObject(object, (_, state) => {
      expect(state.storage.sql.exec('SELECT id FROM index_pending').toArray()).toEqual([]);
    });
  });

  it('pages in id order and refuses a cursor it did not issue', async () => {
    for (const id of ['page-1', 'page-2', 'page-3']) await created(id);
    const first = (await (await call('/v1/tasks?limit=2')).json()) as {
      data: { id: string }[];
      cursor: string;
    };
    const second = (await (await call(`/v1/tasks?limit=2&cursor=${first.cursor}`)).json()) as {
      data: { id: string }[];
    };
    const seen = [...first.data, ...second.data].map((t) => t.id);
    expect(seen).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(seen.length);
    const bad = await call('/v1/tasks?cursor=%25%25not-base64');
    expect((await expectProblem(bad, 400)).code).toBe('invalid-cursor');
  });
});
