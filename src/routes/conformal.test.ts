/**
 * @module
 * Conformal sets at the edge, without a backend: refit stores the calibration and reports its examples per
 * modality and per pattern of fused modalities (the task's view counts them, never sends the scores), and
 * `coverage` and `abstain` are validated — in classify (JSON and multipart) and in a task — before anything is
 * embedded. The sets themselves: `classify/conformal.test.ts`; their guarantee: `conformal/aps.test.ts`.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { EmbeddedExample } from '../tasks/examples.ts';
import type { Task, TaskView } from '../tasks/schema.ts';
import { TaskStore } from '../tasks/store.ts';
import { publicTenant } from '../tenants/tenant.ts';
import { call, expectProblem, postJson } from '../../test/edge/helpers.ts';

const labels = ['red', 'blue'];

/** 30 examples, text and image, the last five text alone. */
function embedded(): EmbeddedExample[] {
  return Array.from({ length: 30 }, (_, index) => {
    const label = labels[index % 2] ?? 'red';
    const side = index % 2 === 0 ? 1 : -1;
    const text = { modality: 'text', index, label, embedding: [side, 0.3 + index * 0.01, 0, 1] };
    const image = { modality: 'image', index, label, embedding: [0.2 * side + (index % 3) * 0.1, 1, 0.02] };
    return index >= 25 ? [text] : [text, image];
  }).flat();
}

async function taught(id: string): Promise<void> {
  const response = await postJson('/v1/tasks', { id, labels, modalities: { audio: false, html: false } });
  expect(response.status).toBe(201);
  const created = (await response.json()) as Task;
  const models = Object.fromEntries(Object.entries(created.modalities).map(([name, h]) => [name, h.model]));
  await new TaskStore(env, publicTenant).apply(id, { kind: 'add-examples', examples: embedded(), models });
}

describe('refit', () => {
  it('stores the conformal calibration and counts its examples, per modality and pattern', async () => {
    await taught('conformal');
    const response = await call('/v1/tasks/conformal/refit?folds=5', { method: 'POST' });
    expect(response.status).toBe(200);
    const { report } = (await response.json()) as { report: { conformal: TaskView['conformal'] } };
    expect(report.conformal).toEqual({
      modalities: { text: 30, image: 25 },
      fused: { 'image+text': 25, text: 5 },
    });
    const view = (await (await call('/v1/tasks/conformal')).json()) as TaskView;
    expect(view.conformal).toEqual(report.conformal);
  });
});

describe('coverage and abstain, validated', () => {
  const classify = (body: Record<string, unknown>) =>
    postJson('/v1/classify', { task: 'conformal', inputs: { text: 'red' }, ...body });

  it('refuses a coverage outside (0, 1) and one that is not a number', async () => {
    for (const coverage of [0, 1, -0.1, 1.5, '0.9']) await expectProblem(await classify({ coverage }), 400);
  });

  it('refuses max_set_size without a coverage, and unknown conditions', async () => {
    const problem = await expectProblem(await classify({ abstain: { max_set_size: 2 } }), 400);
    expect(problem.detail).toMatch(/coverage/);
    await expectProblem(await classify({ abstain: { max_set: 2 } }), 400);
    await expectProblem(await classify({ abstain: { min_confidence: 2 } }), 400);
    await expectProblem(await classify({ abstain: { max_missing: -1 } }), 400);
  });

  it('refuses a bad coverage or abstain in a form', async () => {
    for (const fields of [{ coverage: '1' }, { coverage: 'most' }, { abstain: '{"max_set_size":0}' }]) {
      const data = new FormData();
      data.append('task', 'conformal');
      data.append('text', 'red');
      for (const [name, value] of Object.entries(fields)) data.append(name, value);
      await expectProblem(await call('/v1/classify', { method: 'POST', body: data }), 400);
    }
  });

  it('keeps a task’s coverage and abstain as the defaults of its answers, and refuses bad ones', async () => {
    const abstain = { max_set_size: 1, min_confidence: 0.6 };
    const created = await postJson('/v1/tasks', { id: 'cautious', labels, coverage: 0.9, abstain });
    expect(created.status).toBe(201);
    expect(((await created.json()) as TaskView).fusion).toMatchObject({ coverage: 0.9, abstain });
    await expectProblem(await postJson('/v1/tasks', { id: 'rash', labels, coverage: 1 }), 400);
  });
});
