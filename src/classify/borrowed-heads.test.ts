/**
 * @module
 * Borrowed heads (`tasks/borrow.ts`, `heads/task-heads.ts`), inside workerd, with the part `text.caps` declared to
 * borrow `text` (`test/edge/caps-part.ts`) as `image.text` does: a task built with both, their models declaring
 * one embedding space, and taught with plain texts only (no capitals: the part learns nothing) scores the part by
 * the text head — across the wire to the edge and after a refit — while the part has no examples of its own; once
 * it has, its own head scores it. No borrowing across spaces or without the lender in the task.
 */
import { untimed } from '../../test/edge/embedding-backend.ts';
import { describe, expect, it } from 'vitest';
import { capsBackend, textWithCaps } from '../../test/edge/caps-part.ts';
import { blue, red } from '../../test/edge/colour-task.ts';
import { modelCatalog } from '../backend/model-catalog.ts';
import { isScorer } from '../heads/head.ts';
import { scorersOf } from '../heads/task-heads.ts';
import { createModalities } from '../modalities.ts';
import { buildTask } from '../tasks/build.ts';
import { foldExamples } from '../tasks/examples.ts';
import { classifyTaskOf } from '../tasks/heads-wire.ts';
import { refitTask } from '../tasks/refit.ts';
import type { CreateTask, Task } from '../tasks/schema.ts';
import { embedExamples } from '../tasks/teach.ts';
import { batchAnswer } from './answer.ts';
import { classify } from './pipeline.ts';
import { fromJson } from './request.ts';

const { adapter: text } = textWithCaps({ defaultModel: 'caps', borrows: 'text' });
const modalities = createModalities([text]);
const spaces = { t: 'words', caps: 'words', 'caps-elsewhere': 'glyphs' };
const now = new Date('2026-12-01T00:00:00Z');
const services = () => ({ modalities, backend: capsBackend([], spaces), time: untimed });

async function built(options: CreateTask['modalities']): Promise<Task> {
  const request = { id: 'signs', labels: ['red', 'blue'], modalities: options };
  return buildTask(request, modalities, modelCatalog(new Map(), capsBackend([], spaces)), now);
}

/** Taught with plain texts: lower case, so the part reads nothing in them. */
async function taughtWithTexts(task: Task): Promise<Task> {
  const examples = [
    { label: 'red', inputs: { text: 'a red apple' }, at: 'examples[0].inputs' },
    { label: 'blue', inputs: { text: 'the deep sea' }, at: 'examples[1].inputs' },
  ];
  const embedded = await embedExamples(task, examples, services());
  expect(embedded.map((e) => e.modality)).toEqual(['text', 'text']);
  return foldExamples(task, embedded, now).task;
}

/** The text says red (every word), its capitals say BLUE. */
async function answer(task: Task) {
  const request = fromJson({ task: task.id, inputs: { text: 'BLUE letters on a red wall' } });
  const [result] = batchAnswer(await classify(task, scorersOf(classifyTaskOf(task)), request, services()));
  return result as { modalities: Record<string, { label: string; text?: string }>; missing: object[] };
}

describe('a part that borrows its lender’s head', () => {
  it('is marked when the task is built with its lender, both models in one space', async () => {
    const task = await built({ text: { model: 't' }, 'text.caps': {} });
    expect(task.modalities['text.caps']).toMatchObject({ model: 'caps', borrows: 'text' });
    expect(task.modalities.text).not.toHaveProperty('borrows');
    const elsewhere = await built({ text: { model: 't' }, 'text.caps': { model: 'caps-elsewhere' } });
    expect(elsewhere.modalities['text.caps']).not.toHaveProperty('borrows');
    const alone = await built({ text: false, 'text.caps': {} });
    expect(alone.modalities['text.caps']).not.toHaveProperty('borrows');
  });

  it('classifies by what the part read with the head taught only with texts', async () => {
    const task = await taughtWithTexts(await built({ text: { model: 't' }, 'text.caps': {} }));
    expect(task.modalities['text.caps']?.examples).toBe(0);
    const result = await answer(task);
    expect(result.modalities).toMatchObject({
      text: { label: 'red' },
      'text.caps': { label: 'blue', text: 'BLUE' },
    });
    expect(result.missing).toEqual([]);
  });

  it('keeps borrowing after a refit fitted only the lender, scoring as the lender does', async () => {
    const taught = await built({ text: { model: 't', head: 'linear' }, 'text.caps': { head: 'linear' } });
    const examples = [0, 1, 2, 3].map((i) => ({
      label: i % 2 === 0 ? 'red' : 'blue',
      inputs: { text: i % 2 === 0 ? `red ${i}` : `sea ${i}` },
      at: `examples[${i}].inputs`,
    }));
    const folded = foldExamples(taught, await embedExamples(taught, examples, services()), now);
    const rows = folded.rows.insert ?? [];
    const { task, report } = await refitTask(folded.task, (m) => [rows.filter((r) => r.modality === m)], now);
    expect(report.linear).toEqual(['text']);
    const scorers = scorersOf(classifyTaskOf(task));
    const [part, lender] = [scorers.get('text.caps'), scorers.get('text')];
    if (!isScorer(part) || !isScorer(lender)) throw new Error('both score');
    expect(part(blue)).toEqual(lender(blue));
    expect((await answer(task)).modalities['text.caps']).toMatchObject({ label: 'blue' });
  });

  it('scores with its own head once it has examples of its own', async () => {
    const task = await taughtWithTexts(await built({ text: { model: 't' }, 'text.caps': {} }));
    // The part's own examples say the opposite of the texts': its head, not the lender's, decides.
    const own = [
      { modality: 'text.caps', index: 0, label: 'red', embedding: Float32Array.from(blue) },
      { modality: 'text.caps', index: 1, label: 'blue', embedding: Float32Array.from(red) },
    ];
    const result = await answer(foldExamples(task, own, now).task);
    expect(result.modalities['text.caps']).toMatchObject({ label: 'red', text: 'BLUE' });
  });

  it('does not borrow across embedding spaces: the part has no examples', async () => {
    const task = await built({ text: { model: 't' }, 'text.caps': { model: 'caps-elsewhere' } });
    const result = await answer(await taughtWithTexts(task));
    expect(result.missing).toMatchObject([{ modality: 'text.caps', reason: 'no-examples' }]);
  });

  it('refuses a part borrowing an input that is not registered', () => {
    const { adapter } = textWithCaps({ defaultModel: 'caps', borrows: 'speech' });
    expect(() => createModalities([adapter])).toThrow('the part text.caps borrows speech');
  });
});
