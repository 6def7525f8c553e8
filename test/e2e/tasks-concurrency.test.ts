/**
 * @module
 * Concurrent writes to one task through the whole path (Worker in workerd, real backend, the task's Durable
 * Object): many example uploads at once all land with distinct ids, removals racing uploads take out exactly what
 * they name, and a writer holding a stale version is answered 412.
 */
import { describe, expect, it } from 'vitest';
import { call, expectProblem, postJson } from './helpers.ts';

interface Added {
  readonly added: number;
  readonly ids: number[];
  readonly task: { version: number };
}

interface View {
  readonly version: number;
  readonly nextExample: number;
  readonly modalities: Record<
    string,
    { examples: number; storedExamples: number; prototype: { counts: Record<string, number> } }
  >;
}

const labels = ['warm', 'cold'];

function upload(id: string, n: number, init: RequestInit = {}): Promise<Response> {
  const label = labels[n % 2] ?? 'warm';
  return call(`/v1/tasks/${id}/examples`, {
    method: 'POST',
    ...init,
    headers: { 'content-type': 'application/json', ...init.headers },
    body: JSON.stringify({ examples: [{ label, inputs: { text: `${label} item number ${n}` } }] }),
  });
}

async function view(id: string): Promise<View> {
  return (await (await call(`/v1/tasks/${id}`)).json()) as View;
}

describe('concurrent writes to one task', () => {
  it('keeps every one of many concurrent example uploads, with distinct ids', async () => {
    const created = await postJson('/v1/tasks', {
      id: 'crowd',
      labels,
      modalities: { text: {}, image: false, audio: false, html: false },
    });
    expect(created.status).toBe(201);
    const uploads = 24;
    const answers = await Promise.all(Array.from({ length: uploads }, (_, n) => upload('crowd', n)));
    expect(answers.map((response) => response.status)).toEqual(answers.map(() => 200));
    const bodies = (await Promise.all(answers.map((response) => response.json()))) as Added[];
    const ids = bodies.flatMap((body) => body.ids);
    expect([...ids].sort((a, b) => a - b)).toEqual(Array.from({ length: uploads }, (_, i) => i + 1));
    expect(new Set(bodies.map((body) => body.task.version)).size).toBe(uploads);
    const task = await view('crowd');
    expect(task).toMatchObject({ version: 1 + uploads, nextExample: uploads + 1 });
    expect(task.modalities.text).toMatchObject({ examples: uploads, storedExamples: uploads });
    expect(task.modalities.text?.prototype.counts).toEqual({ warm: uploads / 2, cold: uploads / 2 });
  });

  it('takes out exactly the examples named while uploads race the removals', async () => {
    await postJson('/v1/tasks', {
      id: 'churn',
      labels,
      modalities: { image: false, audio: false, html: false },
    });
    const first = (await Promise.all(
      [0, 1, 2, 3].map(async (n) => (await upload('churn', n)).json()),
    )) as Added[];
    const [a, b] = first.flatMap((body) => body.ids);
    const answers = await Promise.all([
      call(`/v1/tasks/churn/examples/${a}`, { method: 'DELETE' }),
      ...[4, 5, 6, 7].map((n) => upload('churn', n)),
      call(`/v1/tasks/churn/examples/${b}`, { method: 'DELETE' }),
    ]);
    expect(answers.map((response) => response.status)).toEqual(answers.map(() => 200));
    const task = await view('churn');
    expect(task.modalities.text).toMatchObject({ examples: 6, storedExamples: 6 });
    expect(task.version).toBe(1 + 4 + 4 + 2);
  });

  it('answers 412 to an upload whose If-Match is stale, and stores nothing from it', async () => {
    await postJson('/v1/tasks', {
      id: 'stale',
      labels,
      modalities: { image: false, audio: false, html: false },
    });
    expect((await upload('stale', 0, { headers: { 'if-match': '"1"' } })).status).toBe(200);
    const stale = await upload('stale', 1, { headers: { 'if-match': '"1"' } });
    expect(await expectProblem(stale, 412)).toMatchObject({ code: 'version-mismatch', version: 2 });
    expect((await view('stale')).modalities.text).toMatchObject({ examples: 1 });
  });
});
