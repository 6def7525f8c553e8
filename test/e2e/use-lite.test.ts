/**
 * @module
 * USE-lite as the default text model, end to end (Worker in workerd, real backend): a task created with no
 * `modalities` embeds its text (and its pages' visible text) with it; taught three sentences per topic, it
 * recognises paraphrases that share no word with any example — what a sentence encoder does and hashed n-grams
 * cannot; and a zero-shot text task names topics from their bare names.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { postJson } from './helpers.ts';

interface Classification {
  readonly label: string;
  readonly modalities: Record<string, { label: string }>;
}

/** Three sentences per topic, taught as examples. */
const examples: Record<string, readonly string[]> = {
  animals: ['my cat sleeps on the sofa', 'the dog barked at the mailman', 'a parrot repeated every word'],
  weather: [
    'heavy rain is expected tomorrow',
    'it is sunny and warm today',
    'snow covered the streets overnight',
  ],
  food: ['I baked a chocolate cake', 'we ate pasta for dinner', 'fresh bread from the bakery'],
};

/** Paraphrases of the topics in other words: none of their words is in any example. */
const paraphrases: readonly (readonly [string, string])[] = [
  ['kittens purr softly', 'animals'],
  ['puppies love chasing balls', 'animals'],
  ['horses gallop across meadows', 'animals'],
  ['thunderstorms forecast this weekend', 'weather'],
  ['freezing temperatures, icy wind', 'weather'],
  ['cloudy skies with drizzle', 'weather'],
  ['delicious homemade lasagna', 'food'],
  ['grilled salmon served with rice', 'food'],
  ['spicy noodle soup recipe', 'food'],
];

const words = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];

const labels = Object.keys(examples);
const taskId = `topics-${crypto.randomUUID().slice(0, 8)}`;

async function classify(task: string, text: string): Promise<Classification> {
  const response = await postJson('/v1/classify', { task, inputs: { text } });
  expect(response.status).toBe(200);
  return (await response.json()) as Classification;
}

beforeAll(async () => {
  const created = await postJson('/v1/tasks', { id: taskId, labels });
  expect(created.status).toBe(201);
  const taught = await postJson(`/v1/tasks/${taskId}/examples`, {
    examples: Object.entries(examples).flatMap(([label, texts]) =>
      texts.map((text) => ({ label, inputs: { text } })),
    ),
  });
  expect(taught.status).toBe(200);
});

describe('USE-lite, the default text model', () => {
  it('embeds the text and the pages of a task created with no modalities', async () => {
    const task = await postJson('/v1/tasks', { id: `${taskId}-plain`, labels });
    const view = (await task.json()) as { modalities: Record<string, { model: string }> };
    expect(view.modalities.text?.model).toBe('use-lite');
    expect(view.modalities.html?.model).toBe('html-use-lite');
  });

  it('recognises paraphrases that share no word with the examples', async () => {
    const taught = new Set(Object.values(examples).flat().flatMap(words));
    for (const [text] of paraphrases)
      expect(
        words(text).filter((word) => taught.has(word)),
        text,
      ).toEqual([]);
    const answers = await Promise.all(paraphrases.map(([text]) => classify(taskId, text)));
    expect(answers.map((answer) => answer.label)).toEqual(paraphrases.map(([, label]) => label));
  });

  it('recognises them in a page’s visible text too, through html-use-lite', async () => {
    const html = (text: string) => `<!doctype html><title>Note</title><p>${text}</p>`;
    const response = await postJson(`/v1/tasks/${taskId}/examples`, {
      examples: Object.entries(examples).flatMap(([label, texts]) =>
        texts.map((text) => ({ label, inputs: { html: html(text) } })),
      ),
    });
    expect(response.status).toBe(200);
    const answers = await Promise.all(
      paraphrases.map(async ([text]) => {
        const reply = await postJson('/v1/classify', { task: taskId, inputs: { html: html(text) } });
        return ((await reply.json()) as Classification).modalities.html?.label;
      }),
    );
    expect(answers).toEqual(paraphrases.map(([, label]) => label));
  });

  it('names topics zero-shot from their bare names', async () => {
    const created = await postJson('/v1/tasks', {
      id: `${taskId}-zero`,
      labels,
      modalities: { text: { head: 'zero-shot' }, image: false, audio: false, html: false },
    });
    expect(created.status).toBe(201);
    const view = (await created.json()) as { modalities: { text: { zeroShot: { texts: object } } } };
    expect(view.modalities.text.zeroShot.texts).toEqual({
      animals: ['animals'],
      weather: ['weather'],
      food: ['food'],
    });
    const answers = await Promise.all(paraphrases.map(([text]) => classify(`${taskId}-zero`, text)));
    const right = answers.filter((answer, i) => answer.label === paraphrases[i]?.[1]);
    expect(right.length).toBeGreaterThanOrEqual(7);
  });
});
