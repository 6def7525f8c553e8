/**
 * @module
 * A task of many labels through the Worker and the real backend (the hashed-words text model: cheap to embed):
 * answers cut to `top_k` (fused and per modality; by default the best 10 above 100 labels, all below), per item in a
 * batch, the winner unchanged by the cut; and a classify right after a teach acknowledged answers from the new
 * heads (the edge caches heads by version, and asks the task's object for it on every classify).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { postJson } from './helpers.ts';

const taskId = `catalogue-${crypto.randomUUID().slice(0, 8)}`;
const labels = Array.from({ length: 120 }, (_, i) => `item${i}`);
const textOf = (i: number) => `catalogue entry number ${i} word${i} token${i}`;

interface Classification {
  label: string;
  scores: { label: string; score: number }[];
  modalities: Record<string, { label: string; scores: { label: string; score: number }[] }>;
}

async function classified(body: Record<string, unknown>): Promise<Classification> {
  const response = await postJson('/v1/classify', { task: taskId, ...body });
  expect(response.status).toBe(200);
  return (await response.json()) as Classification;
}

async function teach(examples: { label: string; inputs: { text: string } }[]): Promise<void> {
  const response = await postJson(`/v1/tasks/${taskId}/examples`, { examples });
  expect(response.status).toBe(200);
}

beforeAll(async () => {
  const created = await postJson('/v1/tasks', {
    id: taskId,
    labels,
    modalities: { text: { model: 'text-hash-256' }, image: false, audio: false, html: false },
  });
  expect(created.status).toBe(201);
  const examples = labels.map((label, i) => ({ label, inputs: { text: textOf(i) } }));
  // 64 examples per request at most.
  await Promise.all([teach(examples.slice(0, 60)), teach(examples.slice(60))]);
});

describe('classify at scale, end to end', () => {
  it('answers the best 10 of 120 labels by default, top_k of them when asked, all when top_k exceeds them', async () => {
    const plain = await classified({ inputs: { text: textOf(7) } });
    expect(plain.label).toBe('item7');
    expect(plain.scores).toHaveLength(10);
    expect(plain.modalities.text?.scores).toHaveLength(10);
    const three = await classified({ inputs: { text: textOf(7) }, top_k: 3 });
    expect(three.scores).toEqual(plain.scores.slice(0, 3));
    const all = await classified({ inputs: { text: textOf(7) }, top_k: 1000 });
    expect(all.scores).toHaveLength(120);
    expect(all.scores.reduce((sum, s) => sum + s.score, 0)).toBeCloseTo(1, 5);
    expect(all.scores.slice(0, 10)).toEqual(plain.scores);
  });

  it('cuts each batch item to its own top_k, over the request one', async () => {
    const response = await postJson('/v1/classify', {
      task: taskId,
      top_k: 2,
      items: [{ inputs: { text: textOf(1) } }, { inputs: { text: textOf(2) }, top_k: 5 }],
    });
    const [first, second] = (await response.json()) as Classification[];
    expect([first?.label, first?.scores.length, second?.label, second?.scores.length]).toEqual([
      'item1',
      2,
      'item2',
      5,
    ]);
  });

  it('answers from the new heads right after a teach is acknowledged', async () => {
    const text = 'a query nobody taught yet zebra';
    expect((await classified({ inputs: { text }, top_k: 1 })).label).not.toBe('item99');
    await teach([1, 2, 3].map(() => ({ label: 'item99', inputs: { text } })));
    expect((await classified({ inputs: { text }, top_k: 1 })).label).toBe('item99');
  });
});
