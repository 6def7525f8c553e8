/**
 * @module
 * The two storage limits of a task, crossed in its real Durable Object: a task whose JSON is over SQLite's 2 MB
 * value limit (Cloudflare's; workerd run locally refuses only values between 8 and 16 MB, so the test checks each
 * stored chunk's bytes against it) is stored in chunks and read back whole, and shrinks back to one chunk; and
 * examples past the 16 MiB a task used to keep (it then dropped the oldest) are all kept, as rows. And the limits of
 * what a task holds: its labels, its examples (409 past them) and the characters of its JSON (413), each refusal
 * leaving the task as it was.
 */
import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, postJson } from '../../test/edge/helpers.ts';
import { encodeFloat32 } from '../vectors.ts';
import { maxExamplesPerTask, type EmbeddedExample } from './examples.ts';
import { maxTaskChars } from './persist.ts';
import { maxLabels, type Task, type TaskView } from './schema.ts';
import { TaskStore } from './store.ts';
import { publicTenant } from '../tenants/tenant.ts';

const store = new TaskStore(env, publicTenant);
const textOnly = { image: false, audio: false, html: false };
const sqliteValueLimit = 2 * 1024 * 1024;

async function created(id: string, labels: readonly string[]): Promise<Task> {
  const response = await postJson('/v1/tasks', { id, labels, modalities: textOnly });
  expect(response.status).toBe(201);
  return (await response.json()) as Task;
}

/** How many chunks the task's JSON is stored in, and the most UTF-8 bytes one holds. */
function chunksOf(id: string): Promise<{ n: number; bytes: number }> {
  return runInDurableObject(env.TASK_OBJECTS.getByName(id), (_, state) =>
    state.storage.sql
      .exec<{ n: number; bytes: number }>(
        'SELECT count(*) AS n, max(length(CAST(part AS BLOB))) AS bytes FROM task_chunks',
      )
      .one(),
  );
}

describe("a task over SQLite's 2 MB value limit", () => {
  it('is stored in chunks under the limit, read back whole, and shrinks back to one chunk', async () => {
    // Labels of three-byte characters: the JSON's UTF-8 bytes outgrow its UTF-16 length, which the split counts.
    const labels = Array.from({ length: 1000 }, (_, i) => `ラベル${'色'.repeat(60)}${i}`);
    const task = await created('big-json', labels);
    const text = task.modalities.text as Task['modalities'][string];
    const sums = Object.fromEntries(
      labels.map((label, i) => [
        label,
        encodeFloat32(Float32Array.from({ length: 768 }, (_, d) => Math.sin(i + d))),
      ]),
    );
    const prototype = { sums, counts: Object.fromEntries(labels.map((label) => [label, 1])) };
    const big = { ...task, modalities: { text: { ...text, prototype, examples: labels.length } } };
    expect(new TextEncoder().encode(JSON.stringify(big)).length).toBeGreaterThan(2 * sqliteValueLimit);
    await store.apply('big-json', { kind: 'replace', task: big });
    const chunks = await chunksOf('big-json');
    expect(chunks.n).toBeGreaterThan(1);
    expect(chunks.bytes).toBeLessThan(sqliteValueLimit);
    const read = (await (await call('/v1/tasks/big-json')).json()) as TaskView;
    expect(read.labels).toEqual(labels);
    expect(read.modalities.text?.prototype).toEqual(prototype);
    await store.apply('big-json', { kind: 'replace', task });
    expect((await chunksOf('big-json')).n).toBe(1);
    const shrunk = (await (await call('/v1/tasks/big-json')).json()) as TaskView;
    expect(shrunk.modalities.text?.prototype).toEqual({ sums: {}, counts: {} });
  });
});

const dimension = 4096;

/** Example `n`: a vector near axis `n`, labels alternating. */
function example(n: number, index: number): EmbeddedExample {
  const embedding = Float32Array.from({ length: dimension }, (_, d) => (d === n % dimension ? 1 : 0.01));
  return { modality: 'text', index, label: n % 2 === 0 ? 'red' : 'blue', embedding };
}

/** Teaches examples `from` to `to` (exclusive), 96 per change as the examples route would send them. */
async function teach(task: Task, from: number, to: number): Promise<TaskView> {
  const models = { text: task.modalities.text?.model ?? '' };
  for (let start = from; start < to; start += 96) {
    const count = Math.min(96, to - start);
    const examples = Array.from({ length: count }, (_, i) => example(start + i, i));
    await store.apply(task.id, { kind: 'add-examples', examples, models });
  }
  return (await (await call(`/v1/tasks/${task.id}`)).json()) as TaskView;
}

function storedRows(id: string): Promise<{ n: number; oldest: number; chars: number }> {
  return runInDurableObject(env.TASK_OBJECTS.getByName(id), (_, state) =>
    state.storage.sql
      .exec<{ n: number; oldest: number; chars: number }>(
        'SELECT count(*) AS n, min(id) AS oldest, sum(length(embedding)) AS chars FROM task_examples',
      )
      .one(),
  );
}

describe('examples past the 16 MiB a task used to keep', () => {
  it('are all kept as rows, none evicted, the JSON holding none of them', { timeout: 30_000 }, async () => {
    const task = await created('evicting', ['red', 'blue']);
    // Examples of 4,096 dimensions weigh 21,848 base64 characters: the old budget kept 768 of them.
    const oldCap = Math.floor((16 * 1024 * 1024) / ((dimension * 4 * 4) / 3));
    const count = oldCap + 32;
    const view = await teach(task, 0, count);
    expect(view.modalities.text).toMatchObject({ examples: count, storedExamples: count, evicted: 0 });
    expect(view.modalities.text?.prototype.counts).toEqual({ red: count / 2, blue: count / 2 });
    const rows = await storedRows('evicting');
    expect(rows).toMatchObject({ n: count, oldest: 1 });
    expect(rows.chars).toBeGreaterThan(16 * 1024 * 1024);
    const json = await runInDurableObject(env.TASK_OBJECTS.getByName('evicting'), (_, state) =>
      state.storage.sql.exec<{ chars: number }>('SELECT sum(length(part)) AS chars FROM task_chunks').one(),
    );
    expect(json.chars).toBeLessThan(200_000);
  });
});

describe('the limits of what a task holds', () => {
  it(`takes ${maxLabels} labels (${maxLabels + 1} are refused when the task is created)`, async () => {
    const labels = Array.from({ length: maxLabels }, (_, i) => `label ${i}`);
    expect((await created('many-labels', labels)).labels).toHaveLength(maxLabels);
  });

  it(`refuses examples past ${maxExamplesPerTask} with 409 task-full, keeping the task as it was`, async () => {
    const task = await created('nearly-full', ['red', 'blue']);
    const text = task.modalities.text as Task['modalities'][string];
    const full = { ...task, modalities: { text: { ...text, examples: maxExamplesPerTask - 1 } } };
    const { task: stored } = await store.apply('nearly-full', { kind: 'replace', task: full });
    const models = { text: text.model };
    const two = [example(0, 0), example(1, 1)];
    const refused = store.apply('nearly-full', { kind: 'add-examples', examples: two, models });
    await expect(refused).rejects.toMatchObject({
      status: 409,
      code: 'task-full',
      options: { extensions: { limit: maxExamplesPerTask, held: maxExamplesPerTask - 1 } },
    });
    expect((await store.require('nearly-full')).version).toBe(stored.version);
    const one = await store.apply('nearly-full', { kind: 'add-examples', examples: [example(2, 0)], models });
    expect(one.task.modalities.text?.examples).toBe(maxExamplesPerTask);
  });

  it(`refuses a task whose JSON would pass ${maxTaskChars} characters with 413, writing nothing`, async () => {
    const task = await created('too-large', ['red', 'blue']);
    const text = task.modalities.text as Task['modalities'][string];
    // One sum of 4,096 dimensions weighs 21,848 characters: 800 labels of it pass the limit.
    const sum = encodeFloat32(new Float32Array(4096).fill(0.5));
    const labels = Array.from({ length: 800 }, (_, i) => `l${i}`);
    const prototype = {
      sums: Object.fromEntries(labels.map((label) => [label, sum])),
      counts: Object.fromEntries(labels.map((label) => [label, 1])),
    };
    const huge = { ...task, labels, modalities: { text: { ...text, prototype, examples: 800 } } };
    const refused = store.apply('too-large', { kind: 'replace', task: huge });
    await expect(refused).rejects.toMatchObject({ status: 413, code: 'task-too-large' });
    const kept = await store.require('too-large');
    expect([kept.version, kept.labels]).toEqual([task.version, ['red', 'blue']]);
    expect(await chunksOf('too-large')).toMatchObject({ n: 1 });
  });
});
