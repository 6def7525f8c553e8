/**
 * @module
 * The zero-shot head in tasks, at the edge (no backend: which models share a space, and the prompts' embeddings,
 * are end to end): its prompts and templates options and what is refused before any model is asked, that a task
 * whose model cannot be asked is not stored, and how a stored zero-shot head scores and is left out of refit.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { scorersOf } from '../heads/task-heads.ts';
import type { Task } from '../tasks/schema.ts';
import { TaskStore } from '../tasks/store.ts';
import { publicTenant } from '../tenants/tenant.ts';
import { call, expectProblem, postJson } from '../../test/edge/helpers.ts';
import { encodeFloat32 } from '../vectors.ts';

const labels = ['red', 'blue'];

function create(id: string, modalities: Record<string, unknown>): Promise<Response> {
  return postJson('/v1/tasks', { id, labels, modalities });
}

describe('refusals', () => {
  it('refuses prompts for labels the task does not have, and prompts on another head', async () => {
    const unknown = await create('zs-label', { text: { head: 'zero-shot', prompts: { green: 'grass' } } });
    expect(await expectProblem(unknown, 400)).toMatchObject({ code: 'unknown-label', known: labels });
    const misplaced = await create('zs-head', { text: { prompts: { red: 'crimson' } } });
    expect((await expectProblem(misplaced, 400)).code).toBe('head-does-not-fit-model');
    const templated = await create('zs-head-t', { image: { templates: ['a photo of a {label}'] } });
    expect((await expectProblem(templated, 400)).code).toBe('head-does-not-fit-model');
    const empty = await create('zs-empty', { text: { head: 'zero-shot', prompts: { red: '' } } });
    expect((await expectProblem(empty, 400)).code).toBe('invalid-request');
    const none = await create('zs-none', { text: { head: 'zero-shot', prompts: { red: [] } } });
    expect((await expectProblem(none, 400)).code).toBe('invalid-request');
  });

  it('refuses templates without a {label} slot, and too many prompts to embed, before asking any model', async () => {
    const slotless = await create('zs-slot', { image: { head: 'zero-shot', templates: ['a photo'] } });
    const problem = await expectProblem(slotless, 400);
    expect(problem).toMatchObject({ code: 'invalid-request' });
    expect(JSON.stringify(problem)).toMatch(/\{label\}/);
    const many = Array.from({ length: 300 }, (_, i) => `label ${i}`);
    const templates = Array.from({ length: 16 }, (_, i) => `picture ${i} of a {label}`);
    const response = await postJson('/v1/tasks', {
      id: 'zs-many',
      labels: many,
      modalities: { image: { head: 'zero-shot', templates } },
    });
    expect(await expectProblem(response, 400)).toMatchObject({ code: 'too-many-prompts', limit: 4096 });
  });

  it('stores nothing when its model cannot be asked or the prompts cannot be embedded (backend down: 503)', async () => {
    await expectProblem(await create('zs-down', { text: { head: 'zero-shot' } }), 503);
    await expectProblem(await call('/v1/tasks/zs-down'), 404);
  });
});

/** A stored task whose text modality is zero-shot over 3-d prompt embeddings, image a prototype head. */
async function storedZeroShot(id: string): Promise<Task> {
  expect((await create(id, { audio: false, html: false })).status).toBe(201);
  const store = new TaskStore(env, publicTenant);
  const task = await store.require(id);
  const text = task.modalities.text;
  if (text === undefined) throw new Error('no text modality');
  const zeroShot = {
    textModel: 'use-lite',
    texts: { red: ['red'], blue: ['blue'] },
    embeddings: { red: encodeFloat32([1, 0, 0]), blue: encodeFloat32([0, 1, 0]) },
  };
  const modalities = { ...task.modalities, text: { ...text, head: 'zero-shot', zeroShot } };
  return (await store.apply(id, { kind: 'replace', task: { ...task, modalities } })).task;
}

describe('a stored zero-shot head', () => {
  it('scores without examples, by cosine to the label prompts', async () => {
    const task = await storedZeroShot('zs-scores');
    const scorer = scorersOf(task).get('text');
    if (typeof scorer !== 'function') throw new Error('the zero-shot head should score');
    const [red = 0, blue = 0] = scorer(Float32Array.from([0.9, 0.1, 0.2]));
    expect(red).toBeGreaterThan(0.9);
    expect(red + blue).toBeCloseTo(1, 12);
    expect(scorersOf(task).get('image')).toMatchObject({ reason: 'no-examples' });
  });

  it('is left out of refit (no calibration fitted on another head’s scores)', async () => {
    const task = await storedZeroShot('zs-refit');
    const models = Object.fromEntries(
      Object.entries(task.modalities).map(([name, head]) => [name, head.model]),
    );
    const examples = Array.from({ length: 8 }, (_, index) => [
      {
        modality: 'text',
        index,
        label: labels[index % 2] ?? 'red',
        embedding: [index % 2, 1 - (index % 2), 0.1],
      },
      { modality: 'image', index, label: labels[index % 2] ?? 'red', embedding: [index % 2, 1, index / 10] },
    ]).flat();
    const store = new TaskStore(env, publicTenant);
    await store.apply('zs-refit', { kind: 'add-examples', examples, models });
    const { report, task: refitted } = await store.refit('zs-refit', 2);
    expect(Object.keys(report.temperatures)).toEqual(['image']);
    expect(refitted.modalities.text?.zeroShot?.embeddings).toEqual(
      task.modalities.text?.zeroShot?.embeddings,
    );
  });
});
