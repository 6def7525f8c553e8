/**
 * @module
 * A fusion's cascade on the wire at the edge: refused with a 400 problem wherever it can be given — a task's
 * create, a classify request, a batch item, a multipart `fusion` field — for a stop_at outside (0, 1], an order
 * naming a modality twice, an empty order or a modality the task does not have; a valid one is stored with the
 * task. What a cascade does to a classification: `classify/cascade.test.ts`, and `test/e2e/cascade.test.ts`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { call, expectProblem, postJson } from '../../test/edge/helpers.ts';
import { createTaughtTask } from '../../test/edge/tasks.ts';

const order = ['text', 'image'];

const badCascades = [
  ['stop_at 0', { order, stop_at: 0 }],
  ['a negative stop_at', { order, stop_at: -0.5 }],
  ['stop_at above 1', { order, stop_at: 1.5 }],
  ['stop_at as a string', { order, stop_at: '0.9' }],
  ['no stop_at', { order }],
  ['a modality named twice', { order: ['text', 'image', 'text'], stop_at: 0.9 }],
  ['an empty order', { order: [], stop_at: 0.9 }],
  ['an order that is not a list', { order: 'text', stop_at: 0.9 }],
] as const;

beforeAll(async () => {
  await createTaughtTask('cascaded', ['text', 'image']);
});

describe('cascade validation', () => {
  it.each(badCascades)('refuses %s in a classify request, a batch item and a task', async (_, cascade) => {
    const single = { task: 'cascaded', inputs: { text: 'red' }, fusion: { cascade } };
    await expectProblem(await postJson('/v1/classify', single), 400);
    const batch = {
      task: 'cascaded',
      items: [{ inputs: { text: 'red' } }, { inputs: {}, fusion: { cascade } }],
    };
    await expectProblem(await postJson('/v1/classify', batch), 400);
    const task = { id: 'never-made', labels: ['a', 'b'], fusion: { cascade } };
    await expectProblem(await postJson('/v1/tasks', task), 400);
  });

  it('refuses a modality the task does not have, listing those it has', async () => {
    const cascade = { order: ['text', 'smell'], stop_at: 0.9 };
    const problem = await expectProblem(
      await postJson('/v1/classify', { task: 'cascaded', inputs: { text: 'red' }, fusion: { cascade } }),
      400,
    );
    expect(problem).toMatchObject({ code: 'unknown-modality', known: ['text', 'image', 'audio', 'html'] });
    const created = await postJson('/v1/tasks', {
      id: 'no-audio',
      labels: ['a', 'b'],
      modalities: { audio: false },
      fusion: { cascade: { order: ['audio'], stop_at: 0.5 } },
    });
    expect((await expectProblem(created, 400)).code).toBe('unknown-modality');
  });

  it('refuses a bad cascade in a multipart fusion field', async () => {
    const data = new FormData();
    data.set('task', 'cascaded');
    data.set('text', 'red');
    data.set('fusion', JSON.stringify({ cascade: { order, stop_at: 2 } }));
    await expectProblem(await call('/v1/classify', { method: 'POST', body: data }), 400);
  });

  it('stores a valid cascade with the task', async () => {
    const cascade = { order: ['text', 'image', 'audio'], stop_at: 0.9 };
    const created = await postJson('/v1/tasks', {
      id: 'with-cascade',
      labels: ['a', 'b'],
      fusion: { cascade },
    });
    expect(created.status).toBe(201);
    const task = (await (await call('/v1/tasks/with-cascade')).json()) as { fusion: object };
    expect(task.fusion).toEqual({ strategy: 'weighted', weights: expect.any(Object) as object, cascade });
  });
});
