/**
 * @module
 * Refit, stacking, linear heads and evaluation end to end, through the Worker (workerd) and the real backend: a
 * task with a linear image head is taught the fixtures (JSON and multipart, concurrently), refitted from the
 * embeddings it kept, then classifies and evaluates held-out items with every strategy.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { bytesOf, call, dataUrl, postJson } from './helpers.ts';

const fixtures = inject('fixtures');
const examples = fixtures.filter((item) => item.variant < 3);
const heldOut = fixtures.filter((item) => item.variant === 3);
const taskId = `fusion-${crypto.randomUUID().slice(0, 8)}`;

type Fixture = (typeof fixtures)[number];

function inputsOf(item: Fixture) {
  return {
    text: item.text,
    image: dataUrl(item.imageType, item.image),
    audio: dataUrl('audio/wav', item.audio),
  };
}

function asForm(item: Fixture): FormData {
  const form = new FormData();
  form.set('label', item.label);
  form.set('text', item.text);
  form.set('image', new Blob([bytesOf(item.image)], { type: item.imageType }), 'picture');
  form.set('audio', new Blob([bytesOf(item.audio)], { type: 'audio/wav' }), 'speech.wav');
  return form;
}

interface Row {
  name: string;
  n: number;
  accuracy: number | null;
  macroF1: number | null;
  logLoss: number | null;
}

beforeAll(async () => {
  const created = await postJson('/v1/tasks', {
    id: taskId,
    labels: ['red', 'blue'],
    modalities: { image: { head: 'linear' }, html: false },
    fusion: { strategy: 'stacking' },
  });
  expect(created.status).toBe(201);
  const [first, ...rest] = examples;
  // Sent at once: every write goes through the versioned update, and every example must land.
  const responses = await Promise.all([
    postJson(`/v1/tasks/${taskId}/examples`, {
      examples: rest.map((item) => ({ label: item.label, inputs: inputsOf(item) })),
    }),
    ...(first ? [call(`/v1/tasks/${taskId}/examples`, { method: 'POST', body: asForm(first) })] : []),
  ]);
  for (const response of responses) expect(response.status).toBe(200);
});

describe('refit, stacking and evaluate, end to end', () => {
  it('answers "not-fitted" for the linear head until the task is refitted', async () => {
    const task = (await (await call(`/v1/tasks/${taskId}`)).json()) as {
      modalities: Record<string, { examples: number; storedExamples: number }>;
      nextExample: number;
    };
    expect(task.modalities.text).toMatchObject({
      examples: examples.length,
      storedExamples: examples.length,
    });
    expect(task.nextExample).toBe(examples.length + 1);
    const [item] = heldOut;
    const response = await postJson('/v1/classify', { task: taskId, inputs: item ? inputsOf(item) : {} });
    const result = (await response.json()) as { missing: { modality: string; reason: string }[] };
    expect(result.missing).toEqual([expect.objectContaining({ modality: 'image', reason: 'not-fitted' })]);
  });

  it('refits, then classifies every held-out item with the stacking model and explains each modality', async () => {
    const refit = await call(`/v1/tasks/${taskId}/refit?folds=3`, { method: 'POST' });
    expect(refit.status).toBe(200);
    const { report } = (await refit.json()) as { report: { stacking: boolean; linear: string[] } };
    expect(report).toMatchObject({ stacking: true, linear: ['image'] });
    for (const item of heldOut) {
      const response = await postJson('/v1/classify', { task: taskId, inputs: inputsOf(item) });
      const result = (await response.json()) as {
        label: string;
        missing: unknown[];
        fusion: { strategy: string };
        modalities: Record<string, { share: number }>;
      };
      expect(result).toMatchObject({ label: item.label, missing: [], fusion: { strategy: 'stacking' } });
      const shares = Object.values(result.modalities).map((m) => m.share);
      expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    }
  });

  it('evaluates every modality and strategy on a labelled set and recommends one', async () => {
    const response = await postJson(`/v1/tasks/${taskId}/evaluate`, {
      examples: heldOut.map((item) => ({ label: item.label, inputs: inputsOf(item) })),
    });
    expect(response.status).toBe(200);
    const evaluation = (await response.json()) as {
      modalities: Row[];
      strategies: Row[];
      recommended: string;
    };
    expect(evaluation.modalities.map((r) => r.name)).toEqual(['audio', 'image', 'text']);
    expect(evaluation.strategies.map((r) => r.name)).toEqual([
      'weighted',
      'product',
      'max',
      'vote',
      'confidence',
      'stacking',
    ]);
    for (const row of [...evaluation.modalities, ...evaluation.strategies]) {
      expect(row.n).toBe(heldOut.length);
      expect(row.accuracy).toBeGreaterThanOrEqual(0);
      // A confident, right strategy may round p(true) to exactly 1 in float64: a log-loss of 0 is allowed.
      expect(row.logLoss).toBeGreaterThanOrEqual(0);
      // Two labels: every item right means p(true) ≥ ½ on each, so the mean loss is at most ln 2.
      if (row.accuracy === 1) expect(row.logLoss).toBeLessThanOrEqual(Math.log(2));
    }
    expect(evaluation.strategies.find((r) => r.name === 'stacking')?.accuracy).toBe(1);
    expect(evaluation.strategies.map((r) => r.name)).toContain(evaluation.recommended);
  });

  it('refuses an evaluation set with an unknown label or nothing to score', async () => {
    const unknown = await postJson(`/v1/tasks/${taskId}/evaluate`, {
      examples: [{ label: 'green', inputs: { text: 'grass' } }],
    });
    expect(unknown.status).toBe(400);
    const empty = await postJson(`/v1/tasks/${taskId}/evaluate`, { examples: [] });
    expect(empty.status).toBe(400);
  });
});

describe('POST /v1/embeddings/fused, end to end', () => {
  async function fusedOf(item: Fixture, method: 'mean' | 'concat'): Promise<number[]> {
    const response = await postJson('/v1/embeddings/fused', { inputs: inputsOf(item), method });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: { embedding: number[] }[]; model: string };
    expect(body.model).toBe(`fused-${method}:use-lite+mobilenetv2-int8+speech-embedding`);
    return body.data[0]?.embedding ?? [];
  }

  const cos = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x * (b[i] ?? 0), 0);

  // Not asserted: that same-label items are nearer. They are not, uncentred: the speech vectors share a large
  // offset and MobileNet's pooled features are all non-negative, so every raw cosine is high (see the README).
  it('gives one deterministic unit vector per item, of the size the method makes', async () => {
    const [red, blue] = [examples[0], heldOut.find((i) => i.label === 'blue')];
    if (!red || !blue) throw new Error('fixtures');
    for (const method of ['mean', 'concat'] as const) {
      const [a, again, c] = await Promise.all([
        fusedOf(red, method),
        fusedOf(red, method),
        fusedOf(blue, method),
      ]);
      expect(a).toHaveLength(method === 'mean' ? 256 : 512 + 1280 + 96);
      expect(cos(a, a)).toBeCloseTo(1, 5);
      expect(again).toEqual(a);
      expect(cos(a, c)).toBeLessThan(0.999);
    }
  });
});
