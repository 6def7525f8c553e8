/**
 * @module
 * Examples as rows of the task's Durable Object: a task stored when its JSON still carried its examples has them
 * moved into rows on first load (and a table without `created` gains it); and a task holds 100,000 examples (its
 * limit), every one seen by a refit, while a teach costs what it adds (timed at 1,000 and 90,000 examples stored).
 */
import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, postJson } from '../../test/edge/helpers.ts';
import { publicTenant } from '../tenants/tenant.ts';
import { encodeFloat32 } from '../vectors.ts';
import { maxExamplesPerTask, type EmbeddedExample } from './examples.ts';
import type { Task, TaskView } from './schema.ts';
import { TaskStore } from './store.ts';

const store = new TaskStore(env, publicTenant);
const textOnly = { image: false, audio: false, html: false };

async function created(id: string): Promise<Task> {
  const response = await postJson('/v1/tasks', { id, labels: ['red', 'blue'], modalities: textOnly });
  expect(response.status).toBe(201);
  return (await response.json()) as Task;
}

/** The tables and JSON of a task written before examples were rows: `stored` inside, no `created` column. */
function legacyTables(sql: SqlStorage, task: Task): void {
  sql.exec('CREATE TABLE task_chunks (i INTEGER PRIMARY KEY, part TEXT NOT NULL)');
  sql.exec(`CREATE TABLE task_examples (modality TEXT NOT NULL, id INTEGER NOT NULL, label TEXT NOT NULL,
    embedding TEXT NOT NULL, PRIMARY KEY (modality, id))`);
  sql.exec('CREATE TABLE task_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)');
  sql.exec('CREATE TABLE index_pending (id TEXT PRIMARY KEY)');
  sql.exec('INSERT INTO task_chunks (i, part) VALUES (0, ?)', JSON.stringify(task));
  sql.exec("INSERT INTO task_meta (key, value) VALUES ('seq', 1)");
}

describe('a task whose JSON still carries its examples', () => {
  it('has them moved into rows on first load, then listed, refitted and taught on', async () => {
    const task = await created('legacy-template');
    const text = task.modalities.text as Task['modalities'][string];
    const stored = [1, 2, 3].map((id) => ({
      id,
      label: id === 2 ? 'blue' : 'red',
      embedding: encodeFloat32(Float32Array.of(id === 2 ? -1 : 1, 0.5)),
    }));
    const prototype = { sums: {}, counts: { red: 2, blue: 1 } };
    const old = {
      ...task,
      id: 'legacy',
      nextExample: 4,
      modalities: { text: { ...text, examples: 3, prototype, stored } },
    };
    await runInDurableObject(env.TASK_OBJECTS.getByName('legacy'), (_, state) =>
      legacyTables(state.storage.sql, old),
    );
    const listed = (await (await call('/v1/tasks/legacy/examples')).json()) as { data: { id: number }[] };
    expect(listed.data).toEqual(
      [1, 2, 3].map((id) => expect.objectContaining({ id, created: null }) as object),
    );
    const chunk = await runInDurableObject(env.TASK_OBJECTS.getByName('legacy'), (_, state) =>
      state.storage.sql.exec<{ part: string }>('SELECT part FROM task_chunks').one(),
    );
    expect((JSON.parse(chunk.part) as Task).modalities.text?.stored).toEqual([]);
    const { report } = await store.refit('legacy', 2);
    expect(report.examples).toBe(3);
    const more = [{ modality: 'text', index: 0, label: 'blue', embedding: Float32Array.of(-1, 0.2) }];
    const { outcome } = await store.apply('legacy', {
      kind: 'add-examples',
      examples: more,
      models: { text: text.model },
    });
    expect(outcome.ids).toEqual([4]);
    const view = (await (await call('/v1/tasks/legacy')).json()) as TaskView;
    expect(view.modalities.text).toMatchObject({ examples: 4, storedExamples: 4, evicted: 0 });
  });
});

/** `count` examples of 8 dimensions from example number `from` on, labels alternating. */
function batch(from: number, count: number): EmbeddedExample[] {
  return Array.from({ length: count }, (_, index) => {
    const n = from + index;
    const embedding = Float32Array.from({ length: 8 }, (_, d) => (d === n % 8 ? 1 : 0.1));
    return { modality: 'text', index, label: n % 2 === 0 ? 'red' : 'blue', embedding };
  });
}

describe(`a task of ${maxExamplesPerTask} examples`, () => {
  it(
    'keeps every one, a refit sees them all, and a teach costs what it adds',
    { timeout: 120_000 },
    async () => {
      const task = await created('hundred-thousand');
      const models = { text: task.modalities.text?.model ?? '' };
      const teach = async (from: number, count: number) => {
        const started = performance.now();
        await store.apply(task.id, { kind: 'add-examples', examples: batch(from, count), models });
        return performance.now() - started;
      };
      const size = 5_000;
      let taught = 0;
      const timed: Record<string, number> = {};
      while (taught < maxExamplesPerTask) {
        // Requests of 1,000 up to 2,000 and from 90,000 (the timed ones: at 1,000 and 90,000 stored), else of 5,000.
        const next = taught < 2_000 || taught === 90_000 ? 1_000 : size;
        const count = Math.min(next, (taught < 90_000 ? 90_000 : maxExamplesPerTask) - taught);
        const ms = await teach(taught, count);
        if (taught === 1_000 || taught === 90_000)
          timed[`teach 1,000 at ${taught} stored (ms)`] = Math.round(ms);
        taught += count;
      }
      console.log(timed);
      const rows = await runInDurableObject(env.TASK_OBJECTS.getByName(task.id), (_, state) =>
        state.storage.sql.exec<{ n: number }>('SELECT count(*) AS n FROM task_examples').one(),
      );
      expect(rows.n).toBe(maxExamplesPerTask);
      const view = (await (await call(`/v1/tasks/${task.id}`)).json()) as TaskView;
      expect(view.modalities.text).toMatchObject({
        examples: maxExamplesPerTask,
        storedExamples: maxExamplesPerTask,
        evicted: 0,
      });
      const { task: refitted, report } = await store.refit(task.id, 2);
      expect(report.examples).toBe(maxExamplesPerTask);
      expect(refitted.modalities.text?.prototype.counts).toEqual({
        red: maxExamplesPerTask / 2,
        blue: maxExamplesPerTask / 2,
      });
    },
  );
});
