/**
 * @module
 * `POST /v1/tasks/{id}/examples` at the edge: what is refused before any embedding (labels, modalities, inputs,
 * sizes), every refused input named, and a down backend stores nothing and answers 503. Teaching with real embeddings is end to end.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '../tasks/schema.ts';
import { call, expectProblem, pngBase64, postJson } from '../../test/edge/helpers.ts';

const path = '/v1/tasks/fruit/examples';

function teach(examples: unknown): Promise<Response> {
  return postJson(path, { examples });
}

beforeAll(async () => {
  const created = await postJson('/v1/tasks', {
    id: 'fruit',
    labels: ['apple', 'pear'],
    modalities: { audio: false, html: false },
  });
  expect(created.status).toBe(201);
});

describe('refusals', () => {
  it('answers 404 for an unknown task', async () => {
    const response = await postJson('/v1/tasks/nope/examples', {
      examples: [{ label: 'a', inputs: { text: 'x' } }],
    });
    expect((await expectProblem(response, 404)).code).toBe('unknown-task');
  });

  it("answers 400 for an unknown label, listing the task's labels", async () => {
    const problem = await expectProblem(await teach([{ label: 'plum', inputs: { text: 'purple' } }]), 400);
    expect(problem).toMatchObject({ code: 'unknown-label', known: ['apple', 'pear'] });
    expect(problem.detail).toMatch(/plum.*apple, pear/);
  });

  it('answers 400 for unknown modalities and modalities the task does not have', async () => {
    const unknown = await expectProblem(await teach([{ label: 'apple', inputs: { smell: 'sweet' } }]), 400);
    expect(unknown).toMatchObject({
      code: 'unknown-modality',
      known: ['text', 'image', 'audio', 'html', 'video'],
    });
    const absent = await expectProblem(await teach([{ label: 'apple', inputs: { audio: 'AAAA' } }]), 400);
    expect(absent).toMatchObject({ code: 'modality-not-in-task', known: ['text', 'image'] });
  });

  it('answers 400 for an example without inputs, no examples, or too many', async () => {
    expect((await expectProblem(await teach([{ label: 'apple', inputs: {} }]), 400)).code).toBe(
      'empty-example',
    );
    await expectProblem(await teach([]), 400);
    await expectProblem(await teach(Array(65).fill({ label: 'apple', inputs: { text: 'red' } })), 400);
    await expectProblem(await postJson(path, { label: 'apple', inputs: { text: 'red' } }), 400);
  });

  it('answers 415 for PNG bytes declared as JPEG, and 422 for empty text, before any backend call', async () => {
    const lying = await teach([{ label: 'apple', inputs: { image: `data:image/jpeg;base64,${pngBase64}` } }]);
    expect(await expectProblem(lying, 415)).toMatchObject({ input: 'examples[0].inputs.image' });
    const empty = await teach([{ label: 'pear', inputs: { text: '   ' } }]);
    expect((await expectProblem(empty, 422)).code).toBe('empty');
  });

  it('names every refused input by example and modality, before a down backend matters', async () => {
    const response = await teach([
      { label: 'apple', inputs: { text: 'crisp', image: `data:image/jpeg;base64,${pngBase64}` } },
      { label: 'pear', inputs: { text: '   ' } },
      { label: 'apple', inputs: { text: 'sweet' } },
    ]);
    const problem = await expectProblem(response, 415);
    expect(problem).toMatchObject({
      code: 'type-mismatch',
      invalid: [
        { input: 'examples[0].inputs.image', status: 415, code: 'type-mismatch' },
        { input: 'examples[1].inputs.text', status: 422, code: 'empty' },
      ],
    });
    expect(problem.detail).toMatch(
      /^2 inputs could not be used: examples\[0\]\.inputs\.image: .*; examples\[1\]/,
    );
  });

  it('refuses the same through multipart', async () => {
    const data = new FormData();
    data.set('label', 'plum');
    data.set('text', 'purple');
    expect((await expectProblem(await call(path, { method: 'POST', body: data }), 400)).code).toBe(
      'unknown-label',
    );
    const noLabel = new FormData();
    noLabel.set('text', 'green');
    await expectProblem(await call(path, { method: 'POST', body: noLabel }), 400);
  });
});

describe('a down backend', () => {
  it('answers 503 with Retry-After and leaves the task as it was', async () => {
    const response = await teach([
      { label: 'apple', inputs: { text: 'crisp and red', image: `data:image/png;base64,${pngBase64}` } },
    ]);
    expect((await expectProblem(response, 503)).code).toBe('backend-unavailable');
    expect(response.headers.get('retry-after')).toBeTruthy();
    const task = (await (await call('/v1/tasks/fruit')).json()) as Task;
    expect(task.version).toBe(1);
    expect(task.modalities.text?.examples).toBe(0);
  });
});
