/**
 * @module
 * Test setup for tasks that already have examples (imported by tests only): the heads are built from chosen
 * vectors and stored through the task's Durable Object (as a replace), so routes past the backend's embedding step
 * can be tested without one.
 */
import { env } from 'cloudflare:workers';
import { addExamples } from '../../src/heads/prototype.ts';
import type { Task } from '../../src/tasks/schema.ts';
import { TaskStore } from '../../src/tasks/store.ts';
import { publicTenant } from '../../src/tenants/tenant.ts';
import { postJson } from './helpers.ts';

/** Creates the task through the API, then teaches the given modalities two 4-d examples per label. */
export async function createTaughtTask(
  id: string,
  taught: readonly string[],
  labels = ['red', 'blue'],
): Promise<Task> {
  const response = await postJson('/v1/tasks', { id, labels });
  if (response.status !== 201) throw new Error(`creating ${id} answered ${response.status}`);
  const task = (await response.json()) as Task;
  const examples = labels.flatMap((label, i) => [
    { label, embedding: [1, i, 0, 0] },
    { label, embedding: [1, i, 0.1, 0] },
  ]);
  const modalities = Object.fromEntries(
    Object.entries(task.modalities).map(([name, head]) =>
      taught.includes(name)
        ? [name, { ...head, examples: examples.length, prototype: addExamples(head.prototype, examples) }]
        : [name, head],
    ),
  );
  const change = { kind: 'replace', task: { ...task, modalities } } as const;
  return (await new TaskStore(env, publicTenant).apply(id, change)).task;
}
