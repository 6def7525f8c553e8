/**
 * @module
 * The zero-shot head end to end (Worker in workerd, real backend): label prompts are embedded by the paired text
 * model when the task is created, and text and HTML items are then classified with no examples at all (USE-lite by
 * default, the hashed pair by name); a replace re-embeds new prompts; evaluate scores it; a model without a text
 * pair, or not served at all, is refused. Images in USE-lite’s space: `conse.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import { call, expectProblem, postJson } from './helpers.ts';

interface Classification {
  readonly label: string;
  readonly modalities: Record<string, { label: string; weight: number }>;
  readonly missing: { modality: string; reason: string }[];
}

const prompts = { red: 'red crimson scarlet cherry ruby', blue: 'blue azure navy ocean sapphire' };

async function classify(task: string, inputs: Record<string, string>): Promise<Classification> {
  const response = await postJson('/v1/classify', { task, inputs });
  expect(response.status).toBe(200);
  return (await response.json()) as Classification;
}

describe('zero-shot tasks', () => {
  it('classify text and HTML by label prompts, without examples', async () => {
    const created = await postJson('/v1/tasks', {
      id: 'zero-colours',
      labels: ['red', 'blue'],
      modalities: {
        text: { head: 'zero-shot', prompts },
        html: { head: 'zero-shot' },
        image: false,
        audio: false,
      },
    });
    expect(created.status).toBe(201);
    const task = (await created.json()) as {
      modalities: Record<
        string,
        { head: string; examples: number; zeroShot?: { textModel: string; embeddings: object } }
      >;
    };
    expect(task.modalities.text).toMatchObject({ head: 'zero-shot', examples: 0 });
    expect(task.modalities.text?.zeroShot?.textModel).toBe('use-lite');
    expect(task.modalities.html?.zeroShot?.textModel).toBe('use-lite');
    expect(Object.keys(task.modalities.text?.zeroShot?.embeddings ?? {})).toEqual(['red', 'blue']);

    const cherry = await classify('zero-colours', { text: 'a scarlet cherry' });
    expect(cherry).toMatchObject({ label: 'red', missing: [{ modality: 'html', reason: 'absent' }] });
    expect((await classify('zero-colours', { text: 'sailing on the navy ocean' })).label).toBe('blue');
    const page = '<html><body><h1>Sky</h1><p>blue, blue and more blue</p></body></html>';
    const both = await classify('zero-colours', { html: page, text: 'deep sapphire' });
    expect(both.label).toBe('blue');
    expect(both.modalities.html?.label).toBe('blue');
  });

  it('re-embeds new prompts on replace, and evaluates', async () => {
    await postJson('/v1/tasks', {
      id: 'zero-swap',
      labels: ['red', 'blue'],
      modalities: { text: { head: 'zero-shot', prompts }, html: false, image: false, audio: false },
    });
    expect((await classify('zero-swap', { text: 'ruby cherry' })).label).toBe('red');
    const swapped = { red: prompts.blue, blue: prompts.red };
    const replaced = await call('/v1/tasks/zero-swap', {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'if-match': '"1"' },
      body: JSON.stringify({
        labels: ['red', 'blue'],
        modalities: {
          text: { head: 'zero-shot', prompts: swapped },
          html: false,
          image: false,
          audio: false,
        },
      }),
    });
    expect(replaced.status).toBe(200);
    expect((await classify('zero-swap', { text: 'ruby cherry' })).label).toBe('blue');
    const evaluated = await postJson('/v1/tasks/zero-swap/evaluate', {
      examples: [
        { label: 'blue', inputs: { text: 'crimson ruby' } },
        { label: 'red', inputs: { text: 'azure sapphire' } },
      ],
    });
    expect(evaluated.status).toBe(200);
    const body = (await evaluated.json()) as { modalities: { name: string; accuracy: number }[] };
    expect(body.modalities).toEqual([expect.objectContaining({ name: 'text', accuracy: 1 })]);
  });

  it('pairs the hashed html model with the hashed text model, by the space both declare', async () => {
    const created = await postJson('/v1/tasks', {
      id: 'zero-hashed',
      labels: ['red', 'blue'],
      modalities: {
        text: { model: 'text-hash-256', head: 'zero-shot', prompts },
        html: { model: 'html-hash-256', head: 'zero-shot', prompts },
        image: false,
        audio: false,
      },
    });
    expect(created.status).toBe(201);
    const task = (await created.json()) as {
      modalities: Record<string, { zeroShot?: { textModel: string } }>;
    };
    expect(task.modalities.html?.zeroShot?.textModel).toBe('text-hash-256');
    const page = '<html><body><p>crimson, scarlet and ruby</p></body></html>';
    expect((await classify('zero-hashed', { html: page })).label).toBe('red');
  });

  it('refuses a zero-shot head on an image model with no text pair, naming the models that have one', async () => {
    for (const image of [{ head: 'zero-shot' }, { head: 'zero-shot', model: 'mobilenetv2-int8' }]) {
      const refused = await postJson('/v1/tasks', {
        id: 'zero-image',
        labels: ['red', 'blue'],
        modalities: { image },
      });
      const problem = await expectProblem(refused, 400);
      expect(problem).toMatchObject({
        code: 'no-shared-space',
        known: [
          'html-hash-256',
          'html-use-lite',
          'image-text-use-lite',
          'mobilenetv2-conse',
          'text-hash-256',
          'use-lite',
          'video-text-use-lite',
        ],
      });
      expect(problem.detail).toMatch(/modalities\.image.*mobilenetv2-int8 has none/);
    }
    const unknown = await postJson('/v1/tasks', {
      id: 'zero-unknown',
      labels: ['red', 'blue'],
      modalities: { image: { head: 'zero-shot', model: 'no-such-model' } },
    });
    expect((await expectProblem(unknown, 422)).code).toBe('model-not-served');
    expect((await call('/v1/tasks/zero-image')).status).toBe(404);
  });
});
