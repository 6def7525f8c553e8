/**
 * @module
 * Refit out of the write path, in the task's real Durable Object: while a refit runs the object answers reads
 * (the version classify asks for, the old heads) and writes; an example taught mid-refit is kept, and the refit
 * computed from the task before it is thrown away and done again on the new one (its report counts the example);
 * a refit the object recorded but did not finish is run by its alarm.
 */
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { postJson } from '../../test/edge/helpers.ts';
import { publicTenant } from '../tenants/tenant.ts';
import type { EmbeddedExample } from './examples.ts';
import { markPending, pendingRefit } from './refit-job.ts';
import type { Task } from './schema.ts';
import { TaskStore } from './store.ts';

const store = new TaskStore(env, publicTenant);
const labels = ['north', 'south', 'east'];
const dimension = 48;

/** Example `n`: its label's axis plus a deterministic spread over the others. */
function example(n: number, index = 0): EmbeddedExample {
  const y = n % labels.length;
  const embedding = Array.from({ length: dimension }, (_, i) => (i === y ? 2 : Math.sin(n * 7 + i * 13)));
  return { modality: 'text', index, label: labels[y] ?? 'north', embedding };
}

/** A text task with a linear head (fitted on refit) and `count` examples. */
async function taught(id: string, count: number): Promise<Task> {
  const response = await postJson('/v1/tasks', {
    id,
    labels,
    modalities: { text: { head: 'linear' }, image: false, audio: false, html: false },
  });
  expect(response.status).toBe(201);
  const created = (await response.json()) as Task;
  const models = { text: created.modalities.text?.model ?? '' };
  const examples = Array.from({ length: count }, (_, n) => example(n, n));
  return (await store.apply(id, { kind: 'add-examples', examples, models })).task;
}

interface Probe {
  /** Whether a refit is recorded as running. */
  readonly pending: boolean;
  /** What the object's `heads` (classify's read) answers: the version, and whether its linear head is fitted. */
  readonly version: number;
  readonly fitted: boolean;
}

function probe(id: string): Promise<Probe> {
  return runInDurableObject(env.TASK_OBJECTS.getByName(id), async (object, state) => {
    const answer = await object.heads();
    return {
      pending: pendingRefit(state.storage.sql) !== undefined,
      version: answer?.version ?? 0,
      fitted: answer?.task?.modalities.text?.linear !== undefined,
    };
  });
}

/** Probes until the refit is seen running (that probe), or it settled first (undefined). */
async function seenRunning(id: string, settled: () => boolean): Promise<Probe | undefined> {
  while (!settled()) {
    const seen = await probe(id);
    if (seen.pending) return seen;
  }
  return undefined;
}

describe('refit out of the write path', () => {
  it('serves the old version and heads while it runs, then the new ones at once', async () => {
    const before = await taught('refit-serves', 300);
    let settled = false;
    const refit = store.refit('refit-serves', 5).finally(() => (settled = true));
    const during = await seenRunning('refit-serves', () => settled);
    expect(during).toEqual({ pending: true, version: before.version, fitted: false });
    const { task, report } = await refit;
    expect(report).toMatchObject({ examples: 300, linear: ['text'] });
    const after = await store.classifyHeads('refit-serves');
    expect([task.version, after.task.version]).toEqual([before.version + 1, before.version + 1]);
    expect(after.heads.get('text')).toBeTypeOf('function');
    expect(await probe('refit-serves')).toEqual({
      pending: false,
      version: before.version + 1,
      fitted: true,
    });
  });

  it('keeps an example taught mid-refit, and refits the new task rather than apply the stale one', async () => {
    const before = await taught('refit-races', 300);
    let settled = false;
    const refit = store.refit('refit-races', 5).finally(() => (settled = true));
    expect(await seenRunning('refit-races', () => settled)).toMatchObject({ pending: true });
    const models = { text: before.modalities.text?.model ?? '' };
    const added = await store.apply('refit-races', {
      kind: 'add-examples',
      examples: [example(301)],
      models,
    });
    const { task, report } = await refit;
    // Had the refit blocked the object, the example would have landed after it: 300 examples, a lower version.
    expect(report.examples).toBe(301);
    expect(task.version).toBe(added.task.version + 1);
    expect(task.modalities.text).toMatchObject({ examples: 301, linear: expect.anything() as object });
  });

  it('is run by the alarm when the object recorded it but did not finish it', async () => {
    const before = await taught('refit-alarm', 30);
    const object = env.TASK_OBJECTS.getByName('refit-alarm');
    await runInDurableObject(object, async (_, state) => {
      markPending(state.storage.sql, { name: 'refit-alarm', folds: 3 });
      await state.storage.setAlarm(Date.now() + 60_000);
    });
    expect(await runDurableObjectAlarm(object)).toBe(true);
    expect(await probe('refit-alarm')).toEqual({ pending: false, version: before.version + 1, fitted: true });
    const view = await store.require('refit-alarm');
    expect(view.modalities.text?.linear?.dimension).toBe(dimension);
  });

  it('answers 404 for an unknown task and 412 for a stale If-Match, leaving nothing recorded', async () => {
    await expect(store.refit('refit-nobody', 5)).rejects.toMatchObject({ status: 404 });
    const before = await taught('refit-stale', 6);
    await expect(store.refit('refit-stale', 2, before.version - 1)).rejects.toMatchObject({
      status: 412,
      code: 'version-mismatch',
    });
    expect(await probe('refit-stale')).toEqual({ pending: false, version: before.version, fitted: false });
  });
});
