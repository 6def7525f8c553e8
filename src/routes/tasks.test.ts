/**
 * @module
 * Task CRUD against the real Durable Object bindings: defaults, refusals that list what is known, conflicts,
 * paging.
 */
import { describe, expect, it } from 'vitest';
import type { Task } from '../tasks/schema.ts';
import { call, expectProblem, postJson } from '../../test/edge/helpers.ts';

async function create(body: unknown): Promise<Response> {
  return postJson('/v1/tasks', body);
}

describe('POST /v1/tasks', () => {
  it('stores a task with every registered modality, default models, prototype heads, weighted fusion', async () => {
    const response = await create({ id: 'colours', labels: ['red', 'blue'] });
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe('/v1/tasks/colours');
    const task = (await response.json()) as Task;
    expect(task).toMatchObject({
      id: 'colours',
      labels: ['red', 'blue'],
      fusion: { strategy: 'weighted', weights: { text: 1, image: 1, audio: 1, html: 1 } },
      version: 1,
    });
    expect(task.modalities).toEqual({
      text: expect.objectContaining({
        model: 'use-lite',
        head: 'prototype',
        temperature: 0.1,
        examples: 0,
      }),
      image: expect.objectContaining({ model: 'mobilenetv2-int8', head: 'prototype' }),
      audio: expect.objectContaining({ model: 'speech-embedding', head: 'prototype' }),
      html: expect.objectContaining({ model: 'html-use-lite', head: 'prototype' }),
    });
    expect(task.modalities.text?.prototype).toEqual({ sums: {}, counts: {} });
    expect(Date.parse(task.createdAt)).not.toBeNaN();
  });

  it('takes per-modality options, leaves out modalities set to false, and keeps fusion settings', async () => {
    const response = await create({
      id: 'pets',
      labels: ['cat', 'dog'],
      modalities: { text: { temperature: 0.5, model: 'my-text' }, audio: false, html: false },
      fusion: { strategy: 'product', weights: { image: 2 } },
    });
    expect(response.status).toBe(201);
    const task = (await response.json()) as Task;
    expect(Object.keys(task.modalities)).toEqual(['text', 'image']);
    expect(task.modalities.text).toMatchObject({ model: 'my-text', temperature: 0.5 });
    expect(task.fusion).toEqual({ strategy: 'product', weights: { text: 1, image: 2 } });
  });

  it('answers 409 when the id is taken, and keeps the first task', async () => {
    expect((await create({ id: 'twice', labels: ['a', 'b'] })).status).toBe(201);
    expect((await expectProblem(await create({ id: 'twice', labels: ['c', 'd'] }), 409)).code).toBe(
      'task-exists',
    );
    const stored = (await (await call('/v1/tasks/twice')).json()) as Task;
    expect(stored.labels).toEqual(['a', 'b']);
  });

  it('refuses an unknown modality, listing the registered ones', async () => {
    const problem = await expectProblem(
      await create({ id: 't', labels: ['a', 'b'], modalities: { smell: {} } }),
      400,
    );
    expect(problem).toMatchObject({
      code: 'unknown-modality',
      known: [
        'text',
        'image',
        'audio',
        'html',
        'video',
        'image.text',
        'video.frames',
        'video.audio',
        'video.text',
      ],
    });
    expect(problem.detail).toMatch(
      /smell.*text, image, audio, html, video, image.text, video.frames, video.audio, video.text/,
    );
  });

  it('refuses an unknown head and an unknown fusion strategy, listing the known ones', async () => {
    const head = await expectProblem(
      await create({ id: 't', labels: ['a', 'b'], modalities: { text: { head: 'one-shot' } } }),
      400,
    );
    expect(head).toMatchObject({
      code: 'unknown-head',
      known: ['prototype', 'linear', 'zero-shot', 'provider-label'],
    });
    const strategy = await expectProblem(
      await create({ id: 't', labels: ['a', 'b'], fusion: { strategy: 'median' } }),
      400,
    );
    expect(strategy).toMatchObject({
      code: 'unknown-fusion-strategy',
      known: ['weighted', 'product', 'max', 'vote', 'confidence', 'stacking'],
    });
  });

  it('refuses weights for modalities the task does not have', async () => {
    const body = {
      id: 't',
      labels: ['a', 'b'],
      modalities: { audio: false, html: false },
      fusion: { weights: { audio: 1 } },
    };
    const problem = await expectProblem(await create(body), 400);
    expect(problem).toMatchObject({ code: 'unknown-modality', known: ['text', 'image'] });
  });

  it('refuses a task without modalities', async () => {
    const body = {
      id: 't',
      labels: ['a', 'b'],
      modalities: { text: false, image: false, audio: false, html: false },
    };
    expect((await expectProblem(await create(body), 400)).code).toBe('no-modalities');
  });

  it.each([
    ['one label', { id: 't', labels: ['a'] }],
    ['duplicate labels', { id: 't', labels: ['a', 'a'] }],
    ['an empty label', { id: 't', labels: ['a', ''] }],
    ['a reserved label', { id: 't', labels: ['a', '__proto__'] }],
    ['too many labels', { id: 't', labels: Array.from({ length: 5001 }, (_, i) => `l${i}`) }],
    ['a bad id', { id: '../etc', labels: ['a', 'b'] }],
    ['a negative weight', { id: 't', labels: ['a', 'b'], fusion: { weights: { text: -1 } } }],
    ['a zero temperature', { id: 't', labels: ['a', 'b'], modalities: { text: { temperature: 0 } } }],
  ])('refuses %s (400)', async (_, body) => {
    expect((await expectProblem(await create(body), 400)).code).toBe('invalid-request');
  });
});

describe('GET and DELETE /v1/tasks', () => {
  it('reads, lists and deletes tasks', async () => {
    await create({ id: 'one', labels: ['a', 'b'] });
    await create({ id: 'two', labels: ['a', 'b', 'c'] });
    expect(((await (await call('/v1/tasks/one')).json()) as Task).id).toBe('one');
    const list = (await (await call('/v1/tasks')).json()) as { data: { id: string; labels: number }[] };
    expect(list.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'one', labels: 2, modalities: ['text', 'image', 'audio', 'html'] }),
        expect.objectContaining({ id: 'two', labels: 3 }),
      ]),
    );
    expect((await call('/v1/tasks/one', { method: 'DELETE' })).status).toBe(204);
    expect((await expectProblem(await call('/v1/tasks/one'), 404)).code).toBe('unknown-task');
    await expectProblem(await call('/v1/tasks/one', { method: 'DELETE' }), 404);
  });

  it('pages with limit and cursor', async () => {
    for (const id of ['p1', 'p2', 'p3']) await create({ id, labels: ['a', 'b'] });
    const first = (await (await call('/v1/tasks?limit=2')).json()) as { data: unknown[]; cursor?: string };
    expect(first.data).toHaveLength(2);
    expect(first.cursor).toBeTruthy();
    const rest = (await (await call(`/v1/tasks?limit=2&cursor=${first.cursor}`)).json()) as {
      data: unknown[];
    };
    expect(rest.data.length).toBeGreaterThanOrEqual(1);
  });

  it('refuses a bad limit (400) and an unknown id (404)', async () => {
    await expectProblem(await call('/v1/tasks?limit=0'), 400);
    await expectProblem(await call('/v1/tasks?limit=lots'), 400);
    await expectProblem(await call('/v1/tasks/nope'), 404);
    await expectProblem(await call('/v1/tasks/not%20an%20id'), 400);
  });
});
